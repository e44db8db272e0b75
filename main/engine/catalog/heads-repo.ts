/**
 * Trained heads (table `heads`): every run is kept with its settings, data snapshot, metrics, the
 * baseline's metrics, the guard's verdict, the weights and the calibrated threshold. At most one row is
 * active; none active means recognition uses the nearest-centroid baseline. Activation and rollback
 * times are kept in the metrics JSON (activatedAt, rolledBackAt), so a rollback returns to the head that
 * was active before.
 */
import type { Db } from './database';

export interface HeadRow {
  id: number;
  createdAt: number;
  loss: string;
  backend: string;
  settings: unknown;
  data: unknown;
  metrics: unknown;
  baseline: unknown;
  verdict: string;
  weights: Buffer;
  threshold: number;
  active: boolean;
}

export type HeadSummaryRow = Omit<HeadRow, 'weights'>;

/** A head to store: everything but what the catalog assigns (id, time, whether it is active). */
export type NewHead = Omit<HeadRow, 'id' | 'createdAt' | 'active'>;

interface Raw {
  id: number;
  created_at: number;
  loss: string;
  backend: string;
  settings: string;
  data: string;
  metrics: string;
  baseline: string;
  verdict: string;
  weights?: Buffer;
  threshold: number;
  active: number;
}

const summary = (r: Raw): HeadSummaryRow => ({
  id: r.id,
  createdAt: r.created_at,
  loss: r.loss,
  backend: r.backend,
  settings: JSON.parse(r.settings) as unknown,
  data: JSON.parse(r.data) as unknown,
  metrics: JSON.parse(r.metrics) as unknown,
  baseline: JSON.parse(r.baseline) as unknown,
  verdict: r.verdict,
  threshold: r.threshold,
  active: r.active !== 0,
});

const SUMMARY_COLUMNS =
  'id, created_at, loss, backend, settings, data, metrics, baseline, verdict, threshold, active';

export class HeadsRepo {
  constructor(private readonly db: Db) {}

  insert(h: NewHead, now = Date.now()): number {
    const res = this.db
      .prepare(
        `INSERT INTO heads (created_at, loss, backend, settings, data, metrics, baseline, verdict, weights, threshold, active)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .run(
        now,
        h.loss,
        h.backend,
        JSON.stringify(h.settings),
        JSON.stringify(h.data),
        JSON.stringify(h.metrics),
        JSON.stringify(h.baseline),
        h.verdict,
        h.weights,
        h.threshold,
      );
    return Number(res.lastInsertRowid);
  }

  /** Newest first, without weights. */
  list(): HeadSummaryRow[] {
    return (this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM heads ORDER BY id DESC`).all() as Raw[]).map(
      summary,
    );
  }

  get(id: number): HeadRow | null {
    const r = this.db.prepare('SELECT * FROM heads WHERE id = ?').get(id) as Raw | undefined;
    return r ? { ...summary(r), weights: r.weights! } : null;
  }

  active(): HeadRow | null {
    const r = this.db.prepare('SELECT * FROM heads WHERE active = 1 LIMIT 1').get() as Raw | undefined;
    return r ? { ...summary(r), weights: r.weights! } : null;
  }

  latest(): HeadSummaryRow | null {
    const r = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM heads ORDER BY id DESC LIMIT 1`).get() as
      Raw | undefined;
    return r ? summary(r) : null;
  }

  /** Makes `id` the only active head (null: none, i.e. the baseline), recording when, for rollback. */
  activate(id: number | null, now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE heads SET active = 0 WHERE active = 1').run();
      if (id === null) return;
      const res = this.db
        .prepare(
          `UPDATE heads SET active = 1, metrics = json_remove(json_set(metrics, '$.activatedAt', ?), '$.rolledBackAt')
           WHERE id = ?`,
        )
        .run(now, id);
      if (res.changes === 0) throw new Error(`No head ${id}`);
    })();
  }

  /**
   * Rolls back: the active head is marked rolled back and the head that was active before it (most
   * recent activation, never one that was rolled back) becomes active; none left means the baseline.
   * Returns the id now active, or null.
   */
  rollback(now = Date.now()): number | null {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE heads SET active = 0, metrics = json_set(metrics, '$.rolledBackAt', ?) WHERE active = 1`,
        )
        .run(now);
      const r = this.db
        .prepare(
          `SELECT id FROM heads WHERE json_extract(metrics, '$.activatedAt') IS NOT NULL
             AND json_extract(metrics, '$.rolledBackAt') IS NULL
           ORDER BY json_extract(metrics, '$.activatedAt') DESC LIMIT 1`,
        )
        .get() as { id: number } | undefined;
      if (r) this.db.prepare('UPDATE heads SET active = 1 WHERE id = ?').run(r.id);
      return r?.id ?? null;
    })();
  }
}
