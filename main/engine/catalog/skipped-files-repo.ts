/** Skipped files: what a folder scan found that is not a photo (see migrations/013-skipped-files.sql). */
import type { Db } from './database';

export class SkippedFilesRepo {
  constructor(private readonly db: Db) {}

  /** The folder's skipped files are now exactly these. */
  replaceForFolder(folderId: number, paths: readonly string[], now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM skipped_files WHERE folder_id = ?').run(folderId);
      const insert = this.db.prepare(
        `INSERT INTO skipped_files (path, folder_id, seen_at) VALUES (?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET folder_id = excluded.folder_id, seen_at = excluded.seen_at`,
      );
      for (const p of paths) insert.run(p, folderId, now);
    })();
  }

  /** The first `limit` paths (by path) and how many there are in all. */
  sample(limit: number): { total: number; paths: string[] } {
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM skipped_files').get() as { n: number }).n;
    const rows = this.db.prepare('SELECT path FROM skipped_files ORDER BY path LIMIT ?').all(limit) as {
      path: string;
    }[];
    return { total, paths: rows.map((r) => r.path) };
  }
}
