/**
 * What grouping reads and writes about faces: embeddings with their quality, photo, assignment and
 * constraints; unnamed-group ids (faces.cluster_id); user splits; the "not a face" flag. The library's
 * faces-repo owns detection writes; this file owns the people feature's columns and tables.
 */
import { blobToEmbedding, EmbeddingPack } from './embedding-blob';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';
import { rowsById } from './rows-by-id';

export interface ClusterFaceRow {
  id: number;
  photoId: number;
  embedding: Float32Array;
  quality: { overall: number; size: number; blur: number; pose: number };
  score: number;
  clusterId: number | null;
  /** The face's current assignment, if any. */
  personId: number | null;
  kind: 'confirmed' | 'suggested' | 'auto' | null;
  source: string | null;
}

export interface FaceState {
  id: number;
  photoId: number;
  clusterId: number | null;
  deletedAt: number | null;
  source: 'detector' | 'manual' | 'xmp';
  box: { x: number; y: number; w: number; h: number };
}

export interface SuggestionRow {
  faceId: number;
  photoId: number;
  photoPath: string;
  photoSize: { width: number; height: number } | null;
  box: { x: number; y: number; w: number; h: number };
  embedding: Float32Array;
  person: { id: number; name: string };
  confidence: number;
  source: string;
  /** The face's unnamed group, if any (a group suggestion is one item in the review queue). */
  cluster: number | null;
}

interface Raw {
  id: number;
  photo_id: number;
  embedding: Buffer;
  quality: number;
  quality_size: number;
  quality_blur: number;
  quality_pose: number;
  score: number;
  cluster_id: number | null;
  person_id: number | null;
  kind: 'confirmed' | 'suggested' | 'auto' | null;
  source: string | null;
}

const NEXT_CLUSTER_KEY = 'people.nextClusterId';

/**
 * Every live face's grouping state (faceStates, faceStatesOf add their own order and filter). Read from
 * the covering index faces_state (migration 015): keep its columns in step with this list.
 */
export const STATE_SELECT = `SELECT f.id, f.photo_id, f.quality, f.quality_size, f.quality_blur, f.quality_pose, f.score,
                f.cluster_id, a.person_id, a.kind, a.source
         FROM faces f LEFT JOIN assignments a ON a.face_id = f.id
         WHERE f.deleted_at IS NULL`;

/** A face row as grouping sees it, without its embedding (decoded only where a caller needs it). */
const stateOf = (r: Omit<Raw, 'embedding'>): Omit<ClusterFaceRow, 'embedding'> => ({
  id: r.id,
  photoId: r.photo_id,
  quality: { overall: r.quality, size: r.quality_size, blur: r.quality_blur, pose: r.quality_pose },
  score: r.score,
  clusterId: r.cluster_id,
  personId: r.person_id,
  kind: r.kind,
  source: r.source,
});

/** A group as its faces' GROUP_CONCAT row reads it: the face ids in order. */
const groupOfRow = (r: { id: number; size: number; ids: string }) => ({
  id: r.id,
  size: r.size,
  faceIds: r.ids
    .split(',')
    .map(Number)
    .sort((a, b) => a - b),
});

export class ClusterRepo {
  /** Statements run once per face in a re-group (250 000 times at scale): prepared once. */
  private currentStmt: Statement | null = null;
  private setClusterStmt: Statement | null = null;

  constructor(private readonly db: Db) {}

  /** Every live face with what clustering needs. */
  faces(): ClusterFaceRow[] {
    // Rows one at a time into one matrix: [Note: embeddings read into one matrix].
    const count = this.db
      .prepare('SELECT COUNT(*) FROM faces WHERE deleted_at IS NULL')
      .pluck()
      .get() as number;
    const pack = new EmbeddingPack(count);
    const out: ClusterFaceRow[] = [];
    const rows = this.db
      .prepare(
        `SELECT f.id, f.photo_id, f.embedding, f.quality, f.quality_size, f.quality_blur, f.quality_pose, f.score,
                f.cluster_id, a.person_id, a.kind, a.source
         FROM faces f LEFT JOIN assignments a ON a.face_id = f.id
         WHERE f.deleted_at IS NULL ORDER BY f.id`,
      )
      .iterate() as IterableIterator<Raw>;
    for (const r of rows) out.push({ ...stateOf(r), embedding: pack.add(r.embedding) });
    return out;
  }

  /** Every live face as faces() gives it, but without embeddings (callers that cache them: ClusterService). */
  faceStates(): Omit<ClusterFaceRow, 'embedding'>[] {
    const rows = this.db.prepare(`${STATE_SELECT} ORDER BY f.id`).all() as Omit<Raw, 'embedding'>[];
    return rows.map(stateOf);
  }

  /** faceStates() for the given faces only (deleted and missing ids are left out), in id order. */
  faceStatesOf(ids: readonly number[]): Omit<ClusterFaceRow, 'embedding'>[] {
    const sorted = [...ids].sort((a, b) => a - b);
    const rows = rowsById(this.db, sorted, (list) => `${STATE_SELECT} AND f.id IN (${list}) ORDER BY f.id`);
    return (rows as Omit<Raw, 'embedding'>[]).map(stateOf);
  }

  /** Faces grouping tried and left in no group ([Note: faces left ungrouped]). */
  leftOut(): number[] {
    return this.db.prepare('SELECT face_id FROM grouping_left_out').pluck().all() as number[];
  }

  /** Records faces as left out (`out`) or no longer (`back`); run inside the caller's transaction. */
  storeLeftOut(out: readonly number[], back: readonly number[]): void {
    const add = this.db.prepare(
      'INSERT OR IGNORE INTO grouping_left_out (face_id) SELECT id FROM faces WHERE id = ?',
    );
    const remove = this.db.prepare('DELETE FROM grouping_left_out WHERE face_id = ?');
    for (const id of out) add.run(id);
    for (const id of back) remove.run(id);
  }

  /** Embeddings of the given faces (missing ids are left out). */
  embeddings(ids: readonly number[]): Map<number, Float32Array> {
    const rows = rowsById(this.db, ids, (list) => `SELECT id, embedding FROM faces WHERE id IN (${list})`);
    return new Map(
      (rows as { id: number; embedding: Buffer }[]).map((r) => [r.id, blobToEmbedding(r.embedding)]),
    );
  }

  /** Rejections as face id → people the face was rejected from. */
  rejections(): Map<number, number[]> {
    const map = new Map<number, number[]>();
    for (const r of this.db.prepare('SELECT face_id, person_id FROM rejections').all() as {
      face_id: number;
      person_id: number;
    }[]) {
      let list = map.get(r.face_id);
      if (!list) map.set(r.face_id, (list = []));
      list.push(r.person_id);
    }
    return map;
  }

  /** User splits as face id → [split id, side] pairs. */
  splits(): Map<number, [number, number][]> {
    const map = new Map<number, [number, number][]>();
    for (const r of this.db.prepare('SELECT split_id, face_id, side FROM cluster_splits').all() as {
      split_id: number;
      face_id: number;
      side: number;
    }[]) {
      let list = map.get(r.face_id);
      if (!list) map.set(r.face_id, (list = []));
      list.push([r.split_id, r.side]);
    }
    return map;
  }

  /** What grouping read about a live face, as it is now (null when deleted): to spot edits made meanwhile. */
  current(faceId: number): Pick<ClusterFaceRow, 'clusterId' | 'personId' | 'kind' | 'source'> | null {
    this.currentStmt ??= this.db.prepare(
      `SELECT f.cluster_id, a.person_id, a.kind, a.source FROM faces f LEFT JOIN assignments a ON a.face_id = f.id
       WHERE f.id = ? AND f.deleted_at IS NULL`,
    );
    const r = this.currentStmt.get(faceId) as
      Pick<Raw, 'cluster_id' | 'person_id' | 'kind' | 'source'> | undefined;
    return r ? { clusterId: r.cluster_id, personId: r.person_id, kind: r.kind, source: r.source } : null;
  }

  state(faceId: number, includeDeleted = false): FaceState | null {
    const r = this.db
      .prepare(
        `SELECT id, photo_id, cluster_id, deleted_at, source, x, y, w, h FROM faces WHERE id = ?
         ${includeDeleted ? '' : 'AND deleted_at IS NULL'}`,
      )
      .get(faceId) as
      | {
          id: number;
          photo_id: number;
          cluster_id: number | null;
          deleted_at: number | null;
          source: FaceState['source'];
          x: number;
          y: number;
          w: number;
          h: number;
        }
      | undefined;
    return r
      ? {
          id: r.id,
          photoId: r.photo_id,
          clusterId: r.cluster_id,
          deletedAt: r.deleted_at,
          source: r.source,
          box: { x: r.x, y: r.y, w: r.w, h: r.h },
        }
      : null;
  }

  /** Live faces of an unnamed group. */
  members(clusterId: number): number[] {
    return (
      this.db
        .prepare('SELECT id FROM faces WHERE cluster_id = ? AND deleted_at IS NULL ORDER BY id')
        .all(clusterId) as { id: number }[]
    ).map((r) => r.id);
  }

  /** Unnamed groups with at least minSize live faces nobody named (auto-named faces are their person's), largest first. */
  groups(minSize: number): { id: number; size: number; faceIds: number[] }[] {
    const rows = this.db
      .prepare(
        `SELECT cluster_id AS id, COUNT(*) AS size, GROUP_CONCAT(id) AS ids FROM faces
         WHERE cluster_id IS NOT NULL AND deleted_at IS NULL
           AND id NOT IN (SELECT face_id FROM assignments WHERE kind IN ('auto', 'confirmed'))
         GROUP BY cluster_id HAVING COUNT(*) >= ?
         ORDER BY size DESC, cluster_id`,
      )
      .all(minSize) as { id: number; size: number; ids: string }[];
    return rows.map(groupOfRow);
  }

  /**
   * [Note: faces set apart] The small groups holding faces the user set apart: a face rejected from a
   * person ("not this person", a split off a person) or split off an unnamed group (the chosen side of
   * a split) that nobody has named since, in a group of fewer than `minSize` faces (so `groups(minSize)`
   * does not list it). Each group comes whole (every unnamed face in it), newest group first. Without
   * this, such a face was shown only in the session that set it apart: after a reload nothing listed it.
   */
  setApart(minSize: number): { id: number; size: number; faceIds: number[] }[] {
    const rows = this.db
      .prepare(
        // Driven by the rejections and splits (a user's few edits), then by each such group's members
        // through the cluster index: it runs with every People refresh, so it never walks every face.
        `WITH apart AS (
           SELECT DISTINCT f.cluster_id AS id FROM faces f
           WHERE f.id IN (SELECT face_id FROM rejections UNION SELECT face_id FROM cluster_splits WHERE side = 1)
             AND f.cluster_id IS NOT NULL AND f.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.face_id = f.id AND a.kind IN ('auto', 'confirmed'))
         )
         SELECT f.cluster_id AS id, COUNT(*) AS size, GROUP_CONCAT(f.id) AS ids
         FROM apart JOIN faces f ON f.cluster_id = apart.id
         WHERE f.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.face_id = f.id AND a.kind IN ('auto', 'confirmed'))
         GROUP BY f.cluster_id HAVING COUNT(*) < ?
         ORDER BY f.cluster_id DESC`,
      )
      .all(minSize) as { id: number; size: number; ids: string }[];
    return rows.map(groupOfRow);
  }

  setCluster(faceId: number, clusterId: number | null): void {
    this.setClusterStmt ??= this.db.prepare('UPDATE faces SET cluster_id = ? WHERE id = ?');
    this.setClusterStmt.run(clusterId, faceId);
  }

  setDeleted(faceId: number, deletedAt: number | null): void {
    this.db.prepare('UPDATE faces SET deleted_at = ? WHERE id = ?').run(deletedAt, faceId);
  }

  /** Live faces with a machine suggestion ("Is this NAME?"), for people that are not hidden. */
  suggestions(): SuggestionRow[] {
    return (
      this.db
        .prepare(
          `SELECT f.id, f.photo_id, p.path, p.width, p.height, f.x, f.y, f.w, f.h, f.embedding, a.person_id, pe.name, a.confidence, a.source, f.cluster_id
           FROM assignments a JOIN faces f ON f.id = a.face_id AND f.deleted_at IS NULL
           JOIN photos p ON p.id = f.photo_id
           JOIN people pe ON pe.id = a.person_id AND pe.hidden = 0 AND pe.merged_into IS NULL
           WHERE a.kind = 'suggested'`,
        )
        .all() as {
        id: number;
        photo_id: number;
        path: string;
        width: number | null;
        height: number | null;
        x: number;
        y: number;
        w: number;
        h: number;
        embedding: Buffer;
        person_id: number;
        name: string;
        confidence: number | null;
        source: string;
        cluster_id: number | null;
      }[]
    ).map((r) => ({
      faceId: r.id,
      photoId: r.photo_id,
      photoPath: r.path,
      photoSize: r.width && r.height ? { width: r.width, height: r.height } : null,
      box: { x: r.x, y: r.y, w: r.w, h: r.h },
      embedding: blobToEmbedding(r.embedding),
      person: { id: r.person_id, name: r.name },
      confidence: r.confidence ?? 0,
      source: r.source,
      cluster: r.cluster_id,
    }));
  }

  /** Confirmed embeddings per live person (for margins between people). */
  confirmedByPerson(): Map<number, Float32Array[]> {
    const map = new Map<number, Float32Array[]>();
    for (const r of this.db
      .prepare(
        `SELECT a.person_id, f.embedding FROM assignments a JOIN faces f ON f.id = a.face_id AND f.deleted_at IS NULL
         JOIN people pe ON pe.id = a.person_id AND pe.merged_into IS NULL WHERE a.kind = 'confirmed'`,
      )
      .all() as { person_id: number; embedding: Buffer }[]) {
      let list = map.get(r.person_id);
      if (!list) map.set(r.person_id, (list = []));
      list.push(blobToEmbedding(r.embedding));
    }
    return map;
  }

  /** Removes a face for good: only for undoing the creation of a hand-drawn face. */
  deleteFace(faceId: number): void {
    this.db.prepare('DELETE FROM faces WHERE id = ?').run(faceId);
  }

  /** A fresh unnamed-group id, never reused (kept in settings so deleted groups' ids stay retired). */
  nextClusterId(): number {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(NEXT_CLUSTER_KEY) as
      { value: string } | undefined;
    const max =
      (this.db.prepare('SELECT MAX(cluster_id) AS m FROM faces').get() as { m: number | null }).m ?? 0;
    const next = Math.max(row ? Number(row.value) : 1, max + 1);
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(NEXT_CLUSTER_KEY, String(next + 1));
    return next;
  }

  nextSplitId(): number {
    const m = (this.db.prepare('SELECT MAX(split_id) AS m FROM cluster_splits').get() as { m: number | null })
      .m;
    return (m ?? 0) + 1;
  }

  addSplit(splitId: number, faceId: number, side: 0 | 1, now = Date.now()): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO cluster_splits (split_id, face_id, side, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(splitId, faceId, side, now);
  }

  removeSplit(splitId: number): void {
    this.db.prepare('DELETE FROM cluster_splits WHERE split_id = ?').run(splitId);
  }
}
