/** Key/value settings of one feature, stored as `<prefix><key>` rows of the settings table (JSON values). */
import type { Db } from './database';

export class SettingsRepo {
  constructor(
    private readonly db: Db,
    private readonly prefix: string,
  ) {}

  all(): Record<string, unknown> {
    const rows = this.db
      .prepare('SELECT key, value FROM settings WHERE key LIKE ?')
      .all(`${this.prefix}%`) as {
      key: string;
      value: string;
    }[];
    return Object.fromEntries(
      rows.map((r) => [r.key.slice(this.prefix.length), JSON.parse(r.value) as unknown]),
    );
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(this.prefix + key, JSON.stringify(value));
  }

  reset(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(this.prefix + key);
  }
}
