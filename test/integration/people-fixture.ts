/**
 * A temporary catalog with real faces for the people tests: glint_celebs24 crops (from ../shared, read at
 * run time) embedded by the real model, stored as photos with one face each (or several, for same-photo
 * cases), without running the whole library. Embeddings are computed once per test process.
 */
import path from 'node:path';
import type { TestContext } from 'node:test';
import sharp from 'sharp';
import { openDatabase, type Db } from '../../main/engine/catalog/database';
import { embeddingToBlob } from '../../main/engine/catalog/embedding-blob';
import { ALIGNED_SIZE, embedAligned } from '../../main/engine/vision/embedder';
import { glintFiles } from './search-fixtures';
import { tempDir } from '../support/temp';

export interface RealFace {
  label: string;
  file: string;
  embedding: Float32Array;
}

let cache: Promise<RealFace[]> | null = null;

/** The first `perPerson` crops of the first `people` glint identities, embedded (cached per process). */
export function realFaces(people = 4, perPerson = 6): Promise<RealFace[]> {
  cache ??= (async () => {
    const byLabel = new Map<string, { label: string; file: string }[]>();
    for (const f of glintFiles(8)) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
    const out: RealFace[] = [];
    for (const list of [...byLabel.values()].slice(0, 6))
      for (const f of list) {
        const { data } = await sharp(f.file)
          .removeAlpha()
          .resize(ALIGNED_SIZE, ALIGNED_SIZE, { fit: 'fill' })
          .raw()
          .toBuffer({ resolveWithObject: true });
        out.push({
          ...f,
          embedding: await embedAligned(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
        });
      }
    return out;
  })();
  return cache.then((all) => {
    const labels = [...new Set(all.map((f) => f.label))].slice(0, people);
    return labels.flatMap((l) => all.filter((f) => f.label === l).slice(0, perPerson));
  });
}

export class Catalog {
  private folderId: number;
  private n = 0;

  constructor(
    readonly db: Db,
    readonly file: string,
    readonly root: string,
  ) {
    this.folderId = Number(
      db.prepare('INSERT INTO folders (path, added_at) VALUES (?, ?)').run(root, Date.now()).lastInsertRowid,
    );
  }

  /** A photo (done) with the given faces; boxes are laid out side by side. Returns the face ids. */
  photo(
    faces: readonly RealFace[],
    options: { quality?: { size: number; blur: number; pose: number } } = {},
  ): {
    photoId: number;
    faceIds: number[];
  } {
    const n = ++this.n;
    const photoPath = path.join(this.root, `photo-${n}.jpg`);
    const photoId = Number(
      this.db
        .prepare(
          `INSERT INTO photos (folder_id, path, size, mtime_ms, hash, width, height, orientation, status, created_at)
           VALUES (?, ?, 1000, 0, ?, ?, 200, 1, 'done', ?)`,
        )
        .run(this.folderId, photoPath, `hash-${n}`, 200 * Math.max(1, faces.length), Date.now())
        .lastInsertRowid,
    );
    const q = options.quality ?? { size: 150, blur: 100, pose: 0.1 };
    const faceIds = faces.map((f, i) =>
      Number(
        this.db
          .prepare(
            `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
               quality_pose, embedding, model_id, source, created_at)
             VALUES (?, ?, 20, 150, 150, '[]', 0.99, 0.9, ?, ?, ?, ?, 'test', 'detector', ?)`,
          )
          .run(photoId, 200 * i + 20, q.size, q.blur, q.pose, embeddingToBlob(f.embedding), Date.now())
          .lastInsertRowid,
      ),
    );
    return { photoId, faceIds };
  }
}

/** A fresh catalog file in a temporary folder (removed after the test); photos under `root` if given. */
export function tempCatalog(t: TestContext, root?: string): Catalog {
  const dir = tempDir(t, 'visage-people-');
  const file = path.join(dir, 'catalog.db');
  const db = openDatabase(file);
  t.after(() => {
    if (db.open) db.close();
  });
  return new Catalog(db, file, root ?? path.join(dir, 'photos'));
}
