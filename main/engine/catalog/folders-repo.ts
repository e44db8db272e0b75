/** Library folders: the roots the user added. */
import type { Db } from './database';

export interface FolderRow {
  id: number;
  path: string;
  addedAt: number;
  lastScanAt: number | null;
  /** Photos shown in the Library (found and readable; what the Library's header counts). */
  photos: number;
  /** Files found that could not be read (the Library's "could not be read" list). */
  unreadable: number;
}

interface Raw {
  id: number;
  path: string;
  added_at: number;
  last_scan_at: number | null;
  photos: number;
  unreadable: number;
}

const toRow = (r: Raw): FolderRow => ({
  id: r.id,
  path: r.path,
  addedAt: r.added_at,
  lastScanAt: r.last_scan_at,
  photos: r.photos,
  unreadable: r.unreadable,
});

// The same split as the Library: its grid and header count photos neither missing nor failed
// (photos-repo.ts, list), its "could not be read" list the failed ones.
const SELECT = `SELECT f.*,
    (SELECT COUNT(*) FROM photos p WHERE p.folder_id = f.id AND p.status NOT IN ('missing', 'failed')) AS photos,
    (SELECT COUNT(*) FROM photos p WHERE p.folder_id = f.id AND p.status = 'failed') AS unreadable
  FROM folders f`;

export class FoldersRepo {
  constructor(private readonly db: Db) {}

  add(path: string, now = Date.now()): FolderRow {
    this.db.prepare('INSERT OR IGNORE INTO folders (path, added_at) VALUES (?, ?)').run(path, now);
    return this.byPath(path)!;
  }

  byPath(path: string): FolderRow | null {
    const r = this.db.prepare(`${SELECT} WHERE f.path = ?`).get(path) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  get(id: number): FolderRow | null {
    const r = this.db.prepare(`${SELECT} WHERE f.id = ?`).get(id) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  list(): FolderRow[] {
    return (this.db.prepare(`${SELECT} ORDER BY f.path`).all() as Raw[]).map(toRow);
  }

  markScanned(id: number, now = Date.now()): void {
    this.db.prepare('UPDATE folders SET last_scan_at = ? WHERE id = ?').run(now, id);
  }

  /** Confirmed faces on the folder's photos: the names removing it would drop. */
  confirmedFaces(id: number): number {
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM assignments a JOIN faces f ON f.id = a.face_id JOIN photos p ON p.id = f.photo_id
           WHERE p.folder_id = ? AND a.kind = 'confirmed'`,
        )
        .get(id) as { n: number }
    ).n;
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM folders WHERE id = ?').run(id);
  }
}
