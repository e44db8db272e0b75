/**
 * A change log table filled by triggers: face ids in sequence order, read by a consumer that keeps its
 * own state in memory and applies what changed since the sequence number it last applied. Pruned by
 * its consumer; the pruned mark is kept in settings, and a reader behind it must reload everything.
 * Two logs use it: face_changes ([Note: face change log], the search index) and grouping_changes
 * ([Note: grouping change log], grouping).
 */
import type { Db } from './database';

export class ChangeLog {
  constructor(
    private readonly db: Db,
    private readonly table: 'face_changes' | 'grouping_changes',
    private readonly prunedKey: string,
  ) {}

  /** The last sequence number written to the log (0 when nothing ever changed). */
  lastChange(): number {
    const r = this.db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(this.table) as
      { seq: number } | undefined;
    return r?.seq ?? 0;
  }

  /** Face ids changed after `seq`, and the sequence number they bring the reader to. */
  changesSince(seq: number): { seq: number; faceIds: Set<number> } {
    const rows = this.db
      .prepare(`SELECT seq, face_id FROM ${this.table} WHERE seq > ? ORDER BY seq`)
      .all(seq) as { seq: number; face_id: number }[];
    const faceIds = new Set<number>();
    let last = seq;
    for (const r of rows) {
      faceIds.add(r.face_id);
      last = r.seq;
    }
    return { seq: last, faceIds };
  }

  /** Entries up to this sequence number were deleted; a reader behind it must reload everything. */
  prunedThrough(): number {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(this.prunedKey) as
      { value: string } | undefined;
    return r ? Number(r.value) : 0;
  }

  prune(throughSeq: number): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM ${this.table} WHERE seq <= ?`).run(throughSeq);
      this.db
        .prepare(
          `INSERT INTO settings (key, value) VALUES (?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE CAST(value AS INTEGER) < ?`,
        )
        .run(this.prunedKey, String(throughSeq), throughSeq);
    })();
  }
}
