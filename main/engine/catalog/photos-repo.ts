/** Photos: one row per file found in a library folder, with its pipeline status. */
import { TRANSIENT_FAILURE_PATTERNS } from './busy';
import type { Db } from './database';

export type PhotoStatus = 'pending' | 'done' | 'failed' | 'missing';

export interface PhotoRow {
  id: number;
  folderId: number;
  path: string;
  size: number;
  mtimeMs: number;
  hash: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  takenAt: number | null;
  status: PhotoStatus;
  error: string | null;
  facesModel: string | null;
  indexedAt: number | null;
}

interface Raw {
  id: number;
  folder_id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
  taken_at: number | null;
  status: PhotoStatus;
  error: string | null;
  faces_model: string | null;
  indexed_at: number | null;
}

const toRow = (r: Raw): PhotoRow => ({
  id: r.id,
  folderId: r.folder_id,
  path: r.path,
  size: r.size,
  mtimeMs: r.mtime_ms,
  hash: r.hash,
  width: r.width,
  height: r.height,
  orientation: r.orientation,
  takenAt: r.taken_at,
  status: r.status,
  error: r.error,
  facesModel: r.faces_model,
  indexedAt: r.indexed_at,
});

export interface PhotoMeta {
  width: number;
  height: number;
  orientation: number | null;
  takenAt: number | null;
  /** Indexed, but the decoder reported damage (kept in `error` of a done photo, shown as a warning). */
  warning?: string | null;
}

/**
 * The status of a photo whose file is found again (moved, renamed, or back after going missing): done when
 * its faces were stored, else back to the queue (its old failure may have been the move itself, and a
 * retry is cheap); its old error is cleared, so it is never reported as failed for a file that is there.
 */
const FOUND_AGAIN =
  "CASE WHEN faces_model IS NOT NULL AND indexed_at IS NOT NULL THEN 'done' ELSE 'pending' END";

export class PhotosRepo {
  constructor(private readonly db: Db) {}

  get(id: number): PhotoRow | null {
    const r = this.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  byPath(path: string): PhotoRow | null {
    const r = this.db.prepare('SELECT * FROM photos WHERE path = ?').get(path) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  inFolder(folderId: number): PhotoRow[] {
    return (this.db.prepare('SELECT * FROM photos WHERE folder_id = ?').all(folderId) as Raw[]).map(toRow);
  }

  /** Photos with this content hash, missing ones first: candidates for a move. */
  byHash(hash: string): PhotoRow[] {
    return (
      this.db
        .prepare("SELECT * FROM photos WHERE hash = ? ORDER BY status <> 'missing', id")
        .all(hash) as Raw[]
    ).map(toRow);
  }

  insert(
    folderId: number,
    path: string,
    size: number,
    mtimeMs: number,
    hash: string,
    now = Date.now(),
  ): number | null {
    // Another process scanning the same folder may have added it a moment ago: theirs stands.
    const res = this.db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, hash, status, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT(path) DO NOTHING`,
      )
      .run(folderId, path, size, mtimeMs, hash, now);
    return res.changes === 1 ? Number(res.lastInsertRowid) : null;
  }

  /** A file that could not even be read (permissions, vanished mid-scan): recorded so status shows why. */
  insertFailed(
    folderId: number,
    path: string,
    size: number,
    mtimeMs: number,
    error: string,
    now = Date.now(),
  ): void {
    this.db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, status, error, created_at)
         VALUES (?, ?, ?, ?, 'failed', ?, ?)
         ON CONFLICT(path) DO UPDATE SET status = 'failed', error = excluded.error`,
      )
      .run(folderId, path, size, mtimeMs, error, now);
  }

  /** The file changed on disk: new content means the photo must be analysed again. */
  markChanged(id: number, size: number, mtimeMs: number, hash: string): void {
    this.db
      .prepare(
        "UPDATE photos SET size = ?, mtime_ms = ?, hash = ?, status = 'pending', error = NULL WHERE id = ?",
      )
      .run(size, mtimeMs, hash, id);
  }

  /** Same content, new stat (touched or copied back): nothing to redo. */
  touch(id: number, size: number, mtimeMs: number): void {
    this.db.prepare('UPDATE photos SET size = ?, mtime_ms = ? WHERE id = ?').run(size, mtimeMs, id);
  }

  /**
   * A file moved or was renamed: keep the row (and with it faces and labels), change its path. The file is
   * there again, so the "missing" reason goes; see `restore` for the status it returns to.
   */
  move(id: number, folderId: number, path: string, size: number, mtimeMs: number): void {
    this.db
      .prepare(
        `UPDATE photos SET folder_id = ?, path = ?, size = ?, mtime_ms = ?, status = ${FOUND_AGAIN}, error = NULL
         WHERE id = ?`,
      )
      .run(folderId, path, size, mtimeMs, id);
  }

  /** The file is gone. The row stays so labels on its faces are never lost; it returns if the file does. */
  markMissing(id: number, reason: string): void {
    this.db.prepare("UPDATE photos SET status = 'missing', error = ? WHERE id = ?").run(reason, id);
  }

  /** A missing file came back unchanged. */
  restore(id: number): void {
    this.db.prepare(`UPDATE photos SET status = ${FOUND_AGAIN}, error = NULL WHERE id = ?`).run(id);
  }

  /**
   * Photos a past run marked failed because the catalog was locked by another process (not the photo's
   * fault) go back to the queue. Returns how many.
   */
  requeueTransientFailures(): number {
    const where = TRANSIENT_FAILURE_PATTERNS.map(() => 'error LIKE ?').join(' OR ');
    return this.db
      .prepare(`UPDATE photos SET status = 'pending', error = NULL WHERE status = 'failed' AND (${where})`)
      .run(...TRANSIENT_FAILURE_PATTERNS).changes;
  }

  setDone(id: number, meta: PhotoMeta, facesModel: string, now = Date.now()): void {
    this.db
      .prepare(
        `UPDATE photos SET status = 'done', error = ?, width = ?, height = ?, orientation = ?, taken_at = ?,
           faces_model = ?, indexed_at = ? WHERE id = ?`,
      )
      .run(
        meta.warning ?? null,
        meta.width,
        meta.height,
        meta.orientation,
        meta.takenAt,
        facesModel,
        now,
        id,
      );
  }

  setFailed(id: number, error: string, now = Date.now()): void {
    this.db
      .prepare(
        "UPDATE photos SET status = 'failed', error = ?, faces_model = NULL, indexed_at = ? WHERE id = ?",
      )
      .run(error, now, id);
  }

  /** Back to the queue (a failure that was not the photo's fault). */
  markPending(id: number): void {
    this.db.prepare("UPDATE photos SET status = 'pending', error = NULL WHERE id = ?").run(id);
  }

  pendingIds(): number[] {
    return (
      this.db.prepare("SELECT id FROM photos WHERE status = 'pending' ORDER BY id").all() as { id: number }[]
    ).map((r) => r.id);
  }

  counts(): Record<PhotoStatus, number> & { total: number } {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM photos GROUP BY status').all() as {
      status: PhotoStatus;
      n: number;
    }[];
    const c = { pending: 0, done: 0, failed: 0, missing: 0, total: 0 };
    for (const r of rows) {
      c[r.status] = r.n;
      c.total += r.n;
    }
    return c;
  }

  /**
   * Failed and missing photos with their reasons: files not in the library. Read from the index of photos
   * with an error, by path (migration 014); `+status` keeps SQLite from choosing the status index instead,
   * which would visit every done photo's row.
   */
  errors(limit = 1000): { path: string; error: string }[] {
    return this.db
      .prepare(
        `SELECT path, error FROM photos WHERE +status IN ('failed', 'missing') AND error IS NOT NULL
         ORDER BY path LIMIT ?`,
      )
      .all(limit) as { path: string; error: string }[];
  }

  /**
   * Damaged photos: indexed (in the grid, counted, searched) though the decoder could read only part of
   * them; `detail` is its warning. Not the same as errors(): those files are not in the library at all.
   */
  damaged(limit = 1000): { path: string; detail: string }[] {
    return this.db
      .prepare(
        `SELECT path, error AS detail FROM photos WHERE +status = 'done' AND error IS NOT NULL ORDER BY path LIMIT ?`,
      )
      .all(limit) as { path: string; detail: string }[];
  }

  /** Records (or with null clears) a warning on a photo ([Note: bad sidecars]). */
  setWarning(id: number, warning: string | null): void {
    this.db.prepare('UPDATE photos SET warning = ? WHERE id = ?').run(warning, id);
  }

  /** Photos with a warning, by path (their own index, migration 014). */
  warnings(limit = 1000): { path: string; warning: string }[] {
    return this.db
      .prepare('SELECT path, warning FROM photos WHERE warning IS NOT NULL ORDER BY path LIMIT ?')
      .all(limit) as { path: string; warning: string }[];
  }

  /**
   * Newest first (taken-at, else file time); files that could not be read are listed by errors(). The
   * ORDER BY and WHERE are those of the photos_newest index (migration 014): a page is read in order from
   * it, not sorted from every photo; keep them identical to the index's or SQLite sorts again.
   */
  page(offset: number, limit: number): { total: number; items: (PhotoRow & { faces: number })[] } {
    const total = (
      this.db.prepare("SELECT COUNT(*) AS n FROM photos WHERE status NOT IN ('missing', 'failed')").get() as {
        n: number;
      }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT p.*, (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id AND f.deleted_at IS NULL) AS faces
         FROM photos p WHERE p.status NOT IN ('missing', 'failed')
         ORDER BY COALESCE(p.taken_at, p.mtime_ms) DESC, p.id DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as (Raw & { faces: number })[];
    return { total, items: rows.map((r) => ({ ...toRow(r), faces: r.faces })) };
  }
}
