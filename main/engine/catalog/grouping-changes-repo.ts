/**
 * The grouping change log ([Note: grouping change log], migration 011): face ids whose grouping state
 * changed since a sequence number. Read by the grouping service to keep its in-memory face states
 * current; pruned by it, a reader behind the pruned mark reloading everything (another process on the
 * same catalog, a service that was closed for long).
 */
import type { Db } from './database';

const PRUNED_KEY = 'grouping.prunedThrough';

export class GroupingChangesRepo {
  constructor(private readonly db: Db) {}

  /** The last sequence number written to the log (0 when nothing ever changed). */
  lastChange(): number {
    const r = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'grouping_changes'").get() as
      { seq: number } | undefined;
    return r?.seq ?? 0;
  }

  /** Face ids changed after `seq`, and the sequence number they bring the reader to. */
  changesSince(seq: number): { seq: number; faceIds: Set<number> } {
    const rows = this.db
      .prepare('SELECT seq, face_id FROM grouping_changes WHERE seq > ? ORDER BY seq')
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
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(PRUNED_KEY) as
      { value: string } | undefined;
    return r ? Number(r.value) : 0;
  }

  /** Entries still kept (pruning is worth it only past some size). */
  kept(): number {
    return this.db.prepare('SELECT COUNT(*) FROM grouping_changes').pluck().get() as number;
  }

  prune(throughSeq: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM grouping_changes WHERE seq <= ?').run(throughSeq);
      this.db
        .prepare(
          `INSERT INTO settings (key, value) VALUES (?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE CAST(value AS INTEGER) < ?`,
        )
        .run(PRUNED_KEY, String(throughSeq), throughSeq);
    })();
  }
}
