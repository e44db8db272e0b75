/** Scan problems: entries a folder scan saw but could not read (see migrations/005-scan-problems.sql). */
import type { Db } from './database';

export interface ScanProblem {
  path: string;
  error: string;
}

export class ScanProblemsRepo {
  constructor(private readonly db: Db) {}

  /** The folder's problems are now exactly these (older ones were fixed or went away). */
  replaceForFolder(folderId: number, problems: ScanProblem[], now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM scan_problems WHERE folder_id = ?').run(folderId);
      const insert = this.db.prepare(
        `INSERT INTO scan_problems (path, folder_id, error, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET folder_id = excluded.folder_id, error = excluded.error,
           seen_at = excluded.seen_at`,
      );
      for (const p of problems) insert.run(p.path, folderId, p.error, now);
    })();
  }

  list(limit = 1000): ScanProblem[] {
    return this.db
      .prepare('SELECT path, error FROM scan_problems ORDER BY path LIMIT ?')
      .all(limit) as ScanProblem[];
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM scan_problems').get() as { n: number }).n;
  }
}
