/** The people feature's settings, stored as `people.<key>` rows of the settings table (JSON values). */
import type { Db } from './database';

const PREFIX = 'people.setting.';

export class PeopleSettingsRepo {
  constructor(private readonly db: Db) {}

  all(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings WHERE key LIKE ?').all(`${PREFIX}%`) as {
      key: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.key.slice(PREFIX.length), JSON.parse(r.value) as unknown]));
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(PREFIX + key, JSON.stringify(value));
  }

  reset(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(PREFIX + key);
  }
}
