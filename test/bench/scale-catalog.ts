/**
 * Writes a synthetic library (scale-data.ts) as a real catalog: folders, photos (rows only: no image
 * files, the scale bench never decodes), faces with their embeddings and quality, and named people
 * with confirmed faces — the first faces of the largest identities, as a user who named their family
 * would have. Straight SQL in big transactions: this is the bench's fixture, not the code under test.
 */
import path from 'node:path';
import { openDatabase } from '../../main/engine/catalog/database';
import { embeddingToBlob } from '../../main/engine/catalog/embedding-blob';
import type { SyntheticLibrary } from './scale-data';

export interface SeededCatalog {
  dbPath: string;
  folder: string;
  /** Catalog face id per synthetic face. */
  faceIds: number[];
  /** Named people (identity → person id). */
  people: Map<number, number>;
}

export function seedCatalog(
  home: string,
  lib: SyntheticLibrary,
  named: { people: number; confirmedEach: number },
): SeededCatalog {
  const dbPath = path.join(home, 'catalog.db');
  const folder = path.join(home, 'library');
  const db = openDatabase(dbPath);
  const now = Date.now();
  const folderId = Number(
    db.prepare('INSERT INTO folders (path, added_at, last_scan_at) VALUES (?, ?, ?)').run(folder, now, now)
      .lastInsertRowid,
  );
  const photo = db.prepare(
    `INSERT INTO photos (folder_id, path, size, mtime_ms, width, height, orientation, taken_at, status, faces_model, indexed_at, created_at)
     VALUES (?, ?, 1, ?, 1600, 1200, 1, ?, 'done', 'bench', ?, ?)`,
  );
  const face = db.prepare(
    `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur, quality_pose, embedding, model_id, created_at)
     VALUES (?, 10, 10, ?, ?, '[]', 0.99, ?, ?, 400, 0.1, ?, 'bench', ?)`,
  );
  const photoIds: number[] = [];
  const faceIds: number[] = [];
  const people = new Map<number, number>();
  db.transaction(() => {
    for (let p = 0; p < lib.photos; p++)
      photoIds.push(
        Number(
          photo.run(folderId, path.join(folder, `${p}.jpg`), now, now - p * 60_000, now, now).lastInsertRowid,
        ),
      );
    for (const f of lib.faces)
      faceIds.push(
        Number(
          face.run(
            photoIds[f.photo]!,
            f.size,
            f.size,
            f.size >= 24 ? 0.8 : 0.3,
            f.size,
            embeddingToBlob(f.embedding),
            now,
          ).lastInsertRowid,
        ),
      );
    // Name the largest identities: their first `confirmedEach` faces confirmed.
    const byIdentity = new Map<number, number[]>();
    lib.faces.forEach((f, i) => {
      byIdentity.set(f.identity, [...(byIdentity.get(f.identity) ?? []), i]);
    });
    const largest = [...byIdentity].sort((a, b) => b[1].length - a[1].length).slice(0, named.people);
    const person = db.prepare('INSERT INTO people (name, created_at) VALUES (?, ?)');
    const assign = db.prepare(
      "INSERT INTO assignments (face_id, person_id, kind, source, confidence, created_at) VALUES (?, ?, 'confirmed', 'user', 1, ?)",
    );
    largest.forEach(([identity, members], n) => {
      const id = Number(person.run(`Person ${n + 1}`, now).lastInsertRowid);
      people.set(identity, id);
      for (const i of members.slice(0, named.confirmedEach)) assign.run(faceIds[i]!, id, now);
    });
  })();
  db.close();
  return { dbPath, folder, faceIds, people };
}
