/**
 * The SQL that face search needs: live faces and their embeddings, the face change log
 * ([Note: face change log] in migrations/004-face-changes.sql), photo filters, and people's faces.
 */
import { ChangeLog } from './change-log';
import type { Db } from './database';
import { blobToEmbedding } from './embedding-blob';
import type { RawFace } from './faces-repo';
import type { PhotoRow } from './photos-repo';

export interface FaceVectorRow {
  id: number;
  photoId: number;
  embedding: Float32Array;
}

/** The part of a photo (catalog/photos-repo.ts) a search result shows. */
export type PhotoSummary = Pick<PhotoRow, 'id' | 'path' | 'takenAt' | 'width' | 'height'>;

export interface FaceInfoRow {
  id: number;
  photoId: number;
  box: { x: number; y: number; w: number; h: number };
  person: { id: number; name: string } | null;
  kind: 'confirmed' | 'suggested' | 'auto' | null;
}

export interface PersonFaceRow {
  faceId: number;
  photoId: number;
  kind: 'confirmed' | 'auto';
  confidence: number | null;
}

/** Photo filters; every given condition must hold. */
export interface PhotoFilter {
  /** Absolute folder path: photos in it or in any folder below it. */
  folder?: string | undefined;
  /** taken_at ≥ from (ms since epoch); photos without a date never match a date range. */
  from?: number | undefined;
  /** taken_at ≤ to (ms since epoch). */
  to?: number | undefined;
}

const PRUNED_KEY = 'search.prunedThrough';

interface RawVector {
  id: number;
  photo_id: number;
  embedding: Buffer;
}

export class SearchRepo {
  private readonly log: ChangeLog;

  constructor(private readonly db: Db) {
    this.log = new ChangeLog(db, 'face_changes', PRUNED_KEY);
  }

  /** Every live face with its embedding, streamed (a million faces would not fit in one array of rows). */
  *liveFaces(): Generator<FaceVectorRow> {
    const rows = this.db
      .prepare('SELECT id, photo_id, embedding FROM faces WHERE deleted_at IS NULL')
      .iterate() as IterableIterator<RawVector>;
    for (const r of rows) yield { id: r.id, photoId: r.photo_id, embedding: blobToEmbedding(r.embedding) };
  }

  liveFaceCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM faces WHERE deleted_at IS NULL').pluck().get() as number;
  }

  /** A live face, or null when it does not exist or was deleted ("not a face"). */
  liveFace(id: number): FaceVectorRow | null {
    const r = this.db
      .prepare('SELECT id, photo_id, embedding FROM faces WHERE id = ? AND deleted_at IS NULL')
      .get(id) as RawVector | undefined;
    return r ? { id: r.id, photoId: r.photo_id, embedding: blobToEmbedding(r.embedding) } : null;
  }

  /** Whether a face row exists at all (to tell "deleted" from "unknown" in errors). */
  faceExists(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM faces WHERE id = ?').get(id) !== undefined;
  }

  /** The face change log ([Note: face change log]): change-log.ts, shared with grouping's log. */
  lastChange(): number {
    return this.log.lastChange();
  }

  changesSince(seq: number): { seq: number; faceIds: Set<number> } {
    return this.log.changesSince(seq);
  }

  prunedThrough(): number {
    return this.log.prunedThrough();
  }

  prune(throughSeq: number): void {
    this.log.prune(throughSeq);
  }

  /** Ids of photos that pass the filter, or null when there is no filter (everything passes). */
  photoIds(filter: PhotoFilter): Set<number> | null {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.folder !== undefined) {
      const dir = filter.folder.replace(/[\\/]+$/, '');
      // Prefix compare rather than LIKE: folder names may contain % and _.
      where.push('(substr(path, 1, ?) = ? OR substr(path, 1, ?) = ?)');
      args.push(dir.length + 1, `${dir}/`, dir.length + 1, `${dir}\\`);
    }
    if (filter.from !== undefined) {
      where.push('taken_at >= ?');
      args.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('taken_at <= ?');
      args.push(filter.to);
    }
    if (where.length === 0) return null;
    const rows = this.db
      .prepare(`SELECT id FROM photos WHERE ${where.join(' AND ')}`)
      .pluck()
      .all(...args) as number[];
    return new Set(rows);
  }

  photos(ids: number[]): Map<number, PhotoSummary> {
    const out = new Map<number, PhotoSummary>();
    const stmt = this.db.prepare('SELECT id, path, taken_at, width, height FROM photos WHERE id = ?');
    for (const id of ids) {
      const r = stmt.get(id) as
        | { id: number; path: string; taken_at: number | null; width: number | null; height: number | null }
        | undefined;
      if (r) out.set(id, { id: r.id, path: r.path, takenAt: r.taken_at, width: r.width, height: r.height });
    }
    return out;
  }

  /** Box and current person of each face (for result rows). */
  faceInfo(ids: number[]): Map<number, FaceInfoRow> {
    const out = new Map<number, FaceInfoRow>();
    const stmt = this.db.prepare(
      `SELECT f.id, f.photo_id, f.x, f.y, f.w, f.h, a.kind, p.id AS person_id, p.name
       FROM faces f LEFT JOIN assignments a ON a.face_id = f.id LEFT JOIN people p ON p.id = a.person_id
       WHERE f.id = ?`,
    );
    for (const id of ids) {
      const r = stmt.get(id) as
        | (Pick<RawFace, 'id' | 'photo_id' | 'x' | 'y' | 'w' | 'h'> & {
            kind: FaceInfoRow['kind'];
            person_id: number | null;
            name: string | null;
          })
        | undefined;
      if (!r) continue;
      out.set(id, {
        id: r.id,
        photoId: r.photo_id,
        box: { x: r.x, y: r.y, w: r.w, h: r.h },
        person: r.person_id !== null && r.name !== null ? { id: r.person_id, name: r.name } : null,
        kind: r.kind,
      });
    }
    return out;
  }

  /** A live (not merged away) person by name, case-insensitive. */
  personByName(name: string): { id: number; name: string } | null {
    const r = this.db
      .prepare('SELECT id, name FROM people WHERE name = ? COLLATE NOCASE AND merged_into IS NULL')
      .get(name) as { id: number; name: string } | undefined;
    return r ?? null;
  }

  /** A person's live faces the user confirmed or the machine assigned with confidence (not mere suggestions). */
  personFaces(personId: number): PersonFaceRow[] {
    return (
      this.db
        .prepare(
          `SELECT a.face_id, f.photo_id, a.kind, a.confidence FROM assignments a JOIN faces f ON f.id = a.face_id
           WHERE a.person_id = ? AND a.kind IN ('confirmed', 'auto') AND f.deleted_at IS NULL`,
        )
        .all(personId) as {
        face_id: number;
        photo_id: number;
        kind: 'confirmed' | 'auto';
        confidence: number | null;
      }[]
    ).map((r) => ({ faceId: r.face_id, photoId: r.photo_id, kind: r.kind, confidence: r.confidence }));
  }

  /** Faces rejected from a person ("not this person"): never offered as that person again. */
  rejectedFaces(personId: number): Set<number> {
    return new Set(
      this.db.prepare('SELECT face_id FROM rejections WHERE person_id = ?').pluck().all(personId) as number[],
    );
  }

  /** Faces that already belong to someone (confirmed or auto), so are not "unassigned". */
  assignedFaces(ids: number[]): Set<number> {
    const stmt = this.db.prepare(
      "SELECT 1 FROM assignments WHERE face_id = ? AND kind IN ('confirmed', 'auto')",
    );
    return new Set(ids.filter((id) => stmt.get(id) !== undefined));
  }
}
