/**
 * Faces found in photos, with their embeddings.
 * [Note: re-detection keeps labels] When a photo is analysed again (its content changed, or a new model),
 * each new face takes over the id of the old face it overlaps (IoU ≥ 0.5), so assignments and rejections
 * stay attached; an old face that carries user work and matches nothing is kept rather than deleted.
 */
import type { Db } from './database';
import { rowsById } from './rows-by-id';
import { blobToEmbedding, EmbeddingPack, embeddingToBlob } from './embedding-blob';

/** A slice of live faces read for recognition (FacesRepo.liveEmbeddingSlices); clusters -1 for none. */
export interface EmbeddingSlice {
  rows: number;
  ids: Int32Array;
  photoIds: Int32Array;
  clusters: Int32Array;
  /** rows × dim, row-major. */
  embeddings: Float32Array;
}

export interface FaceInput {
  box: { x: number; y: number; w: number; h: number };
  landmarks: [number, number][];
  score: number;
  quality: { overall: number; size: number; blur: number; pose: number };
  embedding: Float32Array;
}

export interface FaceRow extends FaceInput {
  id: number;
  photoId: number;
  modelId: string;
  source: 'detector' | 'manual' | 'xmp';
  clusterId: number | null;
}

/** A faces row as SQLite returns it (snake_case columns); read models pick the columns they select. */
export interface RawFace {
  id: number;
  photo_id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  landmarks: string;
  score: number;
  quality: number;
  quality_size: number;
  quality_blur: number;
  quality_pose: number;
  embedding: Buffer;
  model_id: string;
  source: 'detector' | 'manual' | 'xmp';
  cluster_id: number | null;
}

const toRow = (r: RawFace): FaceRow => ({
  id: r.id,
  photoId: r.photo_id,
  box: { x: r.x, y: r.y, w: r.w, h: r.h },
  landmarks: JSON.parse(r.landmarks) as [number, number][],
  score: r.score,
  quality: { overall: r.quality, size: r.quality_size, blur: r.quality_blur, pose: r.quality_pose },
  embedding: blobToEmbedding(r.embedding),
  modelId: r.model_id,
  source: r.source,
  clusterId: r.cluster_id,
});

export function iou(a: FaceInput['box'], b: FaceInput['box']): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export class FacesRepo {
  constructor(private readonly db: Db) {}

  get(id: number): FaceRow | null {
    const r = this.db.prepare('SELECT * FROM faces WHERE id = ? AND deleted_at IS NULL').get(id) as
      RawFace | undefined;
    return r ? toRow(r) : null;
  }

  forPhoto(photoId: number): FaceRow[] {
    return (
      this.db
        .prepare('SELECT * FROM faces WHERE photo_id = ? AND deleted_at IS NULL ORDER BY x')
        .all(photoId) as RawFace[]
    ).map(toRow);
  }

  count(): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM faces WHERE deleted_at IS NULL').get() as { n: number }
    ).n;
  }

  /** Stores a photo's detector faces; see [Note: re-detection keeps labels]. Returns the face ids in order. */
  replaceDetected(photoId: number, faces: FaceInput[], modelId: string, now = Date.now()): number[] {
    const old = (
      this.db
        .prepare("SELECT * FROM faces WHERE photo_id = ? AND source = 'detector'")
        .all(photoId) as RawFace[]
    ).map(toRow);
    const used = new Set<number>();
    const ids: number[] = [];
    const update = this.db.prepare(
      `UPDATE faces SET x = ?, y = ?, w = ?, h = ?, landmarks = ?, score = ?, quality = ?, quality_size = ?,
         quality_blur = ?, quality_pose = ?, embedding = ?, model_id = ? WHERE id = ?`,
    );
    const insert = this.db.prepare(
      `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
         quality_pose, embedding, model_id, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'detector', ?)`,
    );
    for (const f of faces) {
      let best: FaceRow | null = null;
      let bestIou = 0.5;
      for (const o of old) {
        const v = iou(o.box, f.box);
        if (!used.has(o.id) && v >= bestIou) [best, bestIou] = [o, v];
      }
      const values = [
        f.box.x,
        f.box.y,
        f.box.w,
        f.box.h,
        JSON.stringify(f.landmarks),
        f.score,
        f.quality.overall,
        f.quality.size,
        f.quality.blur,
        f.quality.pose,
        embeddingToBlob(f.embedding),
        modelId,
      ];
      if (best) {
        used.add(best.id);
        update.run(...values, best.id);
        ids.push(best.id);
      } else {
        ids.push(Number(insert.run(photoId, ...values, now).lastInsertRowid));
      }
    }
    const hasUserWork = this.db.prepare(
      `SELECT 1 FROM assignments WHERE face_id = ? AND kind = 'confirmed'
       UNION ALL SELECT 1 FROM rejections WHERE face_id = ? LIMIT 1`,
    );
    const del = this.db.prepare('DELETE FROM faces WHERE id = ?');
    for (const o of old) {
      if (used.has(o.id) || hasUserWork.get(o.id, o.id)) continue;
      del.run(o.id);
    }
    return ids;
  }

  /** A face drawn by hand or read from XMP. */
  insertExtra(
    photoId: number,
    face: FaceInput,
    modelId: string,
    source: 'manual' | 'xmp',
    now = Date.now(),
  ): number {
    const res = this.db
      .prepare(
        `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
           quality_pose, embedding, model_id, source, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        photoId,
        face.box.x,
        face.box.y,
        face.box.w,
        face.box.h,
        JSON.stringify(face.landmarks),
        face.score,
        face.quality.overall,
        face.quality.size,
        face.quality.blur,
        face.quality.pose,
        embeddingToBlob(face.embedding),
        modelId,
        source,
        now,
      );
    return Number(res.lastInsertRowid);
  }

  /** Live faces' photos and embeddings, for the given ids (deleted and unknown ids are left out). */
  liveEmbeddingsOf(ids: readonly number[]): Map<number, { photoId: number; embedding: Float32Array }> {
    const rows = rowsById(
      this.db,
      ids,
      (list) => `SELECT id, photo_id, embedding FROM faces WHERE deleted_at IS NULL AND id IN (${list})`,
    ) as Pick<RawFace, 'id' | 'photo_id' | 'embedding'>[];
    return new Map(rows.map((r) => [r.id, { photoId: r.photo_id, embedding: blobToEmbedding(r.embedding) }]));
  }

  /**
   * Every live face not in `apart`, in id order, `slice` faces at a time: recognition scores each slice as
   * it is read and keeps only the scores ([Note: recognition scores while it reads]). The slice's arrays
   * are reused for the next one: `each` must not keep them.
   */
  liveEmbeddingSlices(
    apart: ReadonlySet<number>,
    slice: number,
    dim: number,
    each: (s: EmbeddingSlice) => void,
  ): void {
    const ids = new Int32Array(slice);
    const photoIds = new Int32Array(slice);
    const clusters = new Int32Array(slice);
    const embeddings = new Float32Array(slice * dim);
    const bytes = new Uint8Array(embeddings.buffer);
    let n = 0;
    const flush = () => {
      if (n === 0) return;
      each({
        rows: n,
        ids: ids.subarray(0, n),
        photoIds: photoIds.subarray(0, n),
        clusters: clusters.subarray(0, n),
        embeddings: embeddings.subarray(0, n * dim),
      });
      n = 0;
    };
    const rows = this.db
      .prepare('SELECT id, photo_id, cluster_id, embedding FROM faces WHERE deleted_at IS NULL ORDER BY id')
      .iterate() as IterableIterator<
      Pick<RawFace, 'id' | 'photo_id' | 'embedding'> & { cluster_id: number | null }
    >;
    for (const r of rows) {
      if (apart.has(r.id)) continue;
      if (r.embedding.byteLength !== dim * 4)
        throw new Error(
          `Face ${r.id} has an embedding of ${r.embedding.byteLength / 4} numbers, expected ${dim}`,
        );
      ids[n] = r.id;
      photoIds[n] = r.photo_id;
      clusters[n] = r.cluster_id ?? -1;
      bytes.set(r.embedding, n * dim * 4);
      if (++n === slice) flush();
    }
    flush();
  }

  /**
   * Every live face id with its embedding, in id order (training and recognition). The embeddings of the
   * faces in `apart` (the confirmed ones) are packed on their own, so the others' are consecutive rows
   * of one matrix that recognition scores as it is (rowsMatrix, no copy).
   */
  allEmbeddings(
    apart: ReadonlySet<number> = new Set(),
  ): { id: number; photoId: number; cluster: number | null; embedding: Float32Array }[] {
    // Rows one at a time into one matrix: [Note: embeddings read into one matrix].
    const count = this.count();
    const packs = {
      apart: new EmbeddingPack(apart.size),
      rest: new EmbeddingPack(Math.max(0, count - apart.size)),
    };
    const out: { id: number; photoId: number; cluster: number | null; embedding: Float32Array }[] = [];
    const rows = this.db
      .prepare('SELECT id, photo_id, cluster_id, embedding FROM faces WHERE deleted_at IS NULL ORDER BY id')
      .iterate() as IterableIterator<
      Pick<RawFace, 'id' | 'photo_id' | 'embedding'> & { cluster_id: number | null }
    >;
    for (const r of rows) {
      const pack = apart.has(r.id) ? packs.apart : packs.rest;
      out.push({ id: r.id, photoId: r.photo_id, cluster: r.cluster_id, embedding: pack.add(r.embedding) });
    }
    return out;
  }
}
