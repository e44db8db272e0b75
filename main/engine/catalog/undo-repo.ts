/** The undo log: one row per user edit, with the JSON needed to reverse it; it lives in the catalog, so undo works across restarts. */
import type { Db } from './database';

export interface UndoEntry {
  id: number;
  op: string;
  summary: string;
  /** The message as JSON (key and parameters); null for entries older than migration 010. */
  message: string | null;
  payload: string;
  createdAt: number;
  undoneAt: number | null;
}

interface Raw {
  id: number;
  op: string;
  summary: string;
  message: string | null;
  payload: string;
  created_at: number;
  undone_at: number | null;
}

const toEntry = (r: Raw): UndoEntry => ({
  id: r.id,
  op: r.op,
  summary: r.summary,
  message: r.message,
  payload: r.payload,
  createdAt: r.created_at,
  undoneAt: r.undone_at,
});

export class UndoRepo {
  constructor(private readonly db: Db) {}

  append(
    op: string,
    summary: string,
    payload: string,
    now = Date.now(),
    message: string | null = null,
  ): number {
    const res = this.db
      .prepare('INSERT INTO undo_log (op, summary, message, payload, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(op, summary, message, payload, now);
    return Number(res.lastInsertRowid);
  }

  /** The newest edit not yet undone. */
  latestOpen(): UndoEntry | null {
    const r = this.db
      .prepare('SELECT * FROM undo_log WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1')
      .get() as Raw | undefined;
    return r ? toEntry(r) : null;
  }

  markUndone(id: number, now = Date.now()): void {
    this.db.prepare('UPDATE undo_log SET undone_at = ? WHERE id = ?').run(now, id);
  }

  recent(limit: number): UndoEntry[] {
    return (this.db.prepare('SELECT * FROM undo_log ORDER BY id DESC LIMIT ?').all(limit) as Raw[]).map(
      toEntry,
    );
  }
}
