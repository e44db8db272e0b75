/**
 * Reads for exporting and importing labels: every face that carries user work (a confirmation, a
 * rejection, a "not a face" deletion, a hand-drawn box, a split) with its photo's content hash, and
 * photo/face look-ups by content hash for matching on import.
 */
import type { Db } from './database';

export interface LabelledFaceRow {
  faceId: number;
  photoId: number;
  hash: string | null;
  path: string;
  width: number | null;
  height: number | null;
  box: { x: number; y: number; w: number; h: number };
  source: 'detector' | 'manual' | 'xmp';
  deleted: boolean;
  confirmedName: string | null;
}

export interface PhotoRef {
  id: number;
  path: string;
  hash: string | null;
  width: number | null;
  height: number | null;
  orientation: number | null;
}

export interface PhotoFace {
  id: number;
  box: { x: number; y: number; w: number; h: number };
  deleted: boolean;
}

export class LabelsRepo {
  constructor(private readonly db: Db) {}

  labelledFaces(): LabelledFaceRow[] {
    const rows = this.db
      .prepare(
        `SELECT f.id, f.photo_id, p.hash, p.path, p.width, p.height, f.x, f.y, f.w, f.h, f.source,
                f.deleted_at IS NOT NULL AS deleted,
                (SELECT pe.name FROM assignments a JOIN people pe ON pe.id = a.person_id
                  WHERE a.face_id = f.id AND a.kind = 'confirmed') AS confirmed_name
         FROM faces f JOIN photos p ON p.id = f.photo_id
         WHERE f.deleted_at IS NOT NULL OR f.source = 'manual'
            OR EXISTS (SELECT 1 FROM assignments a WHERE a.face_id = f.id AND a.kind = 'confirmed')
            OR EXISTS (SELECT 1 FROM rejections r WHERE r.face_id = f.id)
            OR EXISTS (SELECT 1 FROM cluster_splits s WHERE s.face_id = f.id)`,
      )
      .all() as {
      id: number;
      photo_id: number;
      hash: string | null;
      path: string;
      width: number | null;
      height: number | null;
      x: number;
      y: number;
      w: number;
      h: number;
      source: LabelledFaceRow['source'];
      deleted: number;
      confirmed_name: string | null;
    }[];
    return rows.map((r) => ({
      faceId: r.id,
      photoId: r.photo_id,
      hash: r.hash,
      path: r.path,
      width: r.width,
      height: r.height,
      box: { x: r.x, y: r.y, w: r.w, h: r.h },
      source: r.source,
      deleted: r.deleted !== 0,
      confirmedName: r.confirmed_name,
    }));
  }

  /** Rejections as face id → names of the (live) people the face was rejected from. */
  rejectedNames(): Map<number, string[]> {
    const map = new Map<number, string[]>();
    for (const r of this.db
      .prepare(
        `SELECT r.face_id, pe.name FROM rejections r JOIN people pe ON pe.id = r.person_id
         WHERE pe.merged_into IS NULL ORDER BY pe.name`,
      )
      .all() as { face_id: number; name: string }[]) {
      let list = map.get(r.face_id);
      if (!list) map.set(r.face_id, (list = []));
      list.push(r.name);
    }
    return map;
  }

  splits(): { splitId: number; faceId: number; side: number }[] {
    return (
      this.db
        .prepare('SELECT split_id, face_id, side FROM cluster_splits ORDER BY split_id, face_id')
        .all() as {
        split_id: number;
        face_id: number;
        side: number;
      }[]
    ).map((r) => ({ splitId: r.split_id, faceId: r.face_id, side: r.side }));
  }

  photosByHash(hash: string): PhotoRef[] {
    return this.db
      .prepare(
        "SELECT id, path, hash, width, height, orientation FROM photos WHERE hash = ? AND status <> 'missing' ORDER BY id",
      )
      .all(hash) as PhotoRef[];
  }

  photoByPath(path: string): PhotoRef | null {
    return (
      (this.db
        .prepare('SELECT id, path, hash, width, height, orientation FROM photos WHERE path = ?')
        .get(path) as PhotoRef | undefined) ?? null
    );
  }

  photo(id: number): PhotoRef | null {
    return (
      (this.db
        .prepare('SELECT id, path, hash, width, height, orientation FROM photos WHERE id = ?')
        .get(id) as PhotoRef | undefined) ?? null
    );
  }

  /** Photos (done) with at least one confirmed face, or all done photos when `all`. */
  photosWithNames(): PhotoRef[] {
    return this.db
      .prepare(
        `SELECT DISTINCT p.id, p.path, p.hash, p.width, p.height, p.orientation FROM photos p
         JOIN faces f ON f.photo_id = p.id AND f.deleted_at IS NULL
         JOIN assignments a ON a.face_id = f.id AND a.kind = 'confirmed'
         WHERE p.status = 'done' ORDER BY p.id`,
      )
      .all() as PhotoRef[];
  }

  donePhotos(): PhotoRef[] {
    return this.db
      .prepare(
        "SELECT id, path, hash, width, height, orientation FROM photos WHERE status = 'done' ORDER BY id",
      )
      .all() as PhotoRef[];
  }

  /** Live faces of a photo with their confirmed names (null when unnamed). */
  namedFaces(photoId: number): { id: number; box: PhotoFace['box']; name: string | null }[] {
    return (
      this.db
        .prepare(
          `SELECT f.id, f.x, f.y, f.w, f.h, pe.name FROM faces f
           LEFT JOIN assignments a ON a.face_id = f.id AND a.kind = 'confirmed'
           LEFT JOIN people pe ON pe.id = a.person_id
           WHERE f.photo_id = ? AND f.deleted_at IS NULL ORDER BY f.id`,
        )
        .all(photoId) as { id: number; x: number; y: number; w: number; h: number; name: string | null }[]
    ).map((r) => ({ id: r.id, box: { x: r.x, y: r.y, w: r.w, h: r.h }, name: r.name }));
  }

  /** Faces of a photo, deleted ones included (an import may re-apply a deletion). */
  facesOf(photoId: number): PhotoFace[] {
    return (
      this.db
        .prepare(
          'SELECT id, x, y, w, h, deleted_at IS NOT NULL AS deleted FROM faces WHERE photo_id = ? ORDER BY id',
        )
        .all(photoId) as { id: number; x: number; y: number; w: number; h: number; deleted: number }[]
    ).map((r) => ({ id: r.id, box: { x: r.x, y: r.y, w: r.w, h: r.h }, deleted: r.deleted !== 0 }));
  }

  /** Photos under a folder path (for labelling from a folder-per-person tree). */
  photosUnder(root: string): PhotoRef[] {
    const prefix =
      root.endsWith('/') || root.endsWith('\\') ? root : `${root}${root.includes('\\') ? '\\' : '/'}`;
    return this.db
      .prepare(
        "SELECT id, path, hash, width, height, orientation FROM photos WHERE substr(path, 1, ?) = ? AND status = 'done' ORDER BY path",
      )
      .all(prefix.length, prefix) as PhotoRef[];
  }
}
