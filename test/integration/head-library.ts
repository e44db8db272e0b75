/**
 * A small real library for the head's tests: a temporary catalog file with real glint_celebs24 faces
 * (head-fixture.ts), six named people with five confirmed faces each, two unnamed people, one group photo
 * and one rejection.
 */
import path from 'node:path';
import type { TestContext } from 'node:test';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import { embeddingToBlob } from '../../main/engine/catalog/embedding-blob';
import { PeopleRepo } from '../../main/engine/catalog/people-repo';
import { openEngine, type Engine } from '../../main/engine/engine';
import { tempDir } from '../support/temp';
import { glintFaces, type GlintFace } from './head-fixture';

export interface Library {
  engine: Engine;
  faceIds: Map<GlintFace, number>;
  personIds: Map<string, number>;
  faces: GlintFace[];
}

/** 8 people × 8 faces; faces 0–4 of the first 6 people confirmed; one photo holds two people. */
export async function library(t: TestContext): Promise<Library> {
  const dir = tempDir(t, 'visage-head-');
  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  t.after(() => engine.close());
  const db = engine.context.db;
  const faces = await glintFaces(8, 8);
  const folder = Number(
    db.prepare('INSERT INTO folders (path, added_at) VALUES (?, ?)').run(dir, 1).lastInsertRowid,
  );
  const photo = (n: number) =>
    Number(
      db
        .prepare(
          `INSERT INTO photos (folder_id, path, size, mtime_ms, hash, width, height, orientation, status, created_at)
           VALUES (?, ?, 1, 0, ?, 400, 200, 1, 'done', 1)`,
        )
        .run(folder, path.join(dir, `p${n}.jpg`), `h${n}`).lastInsertRowid,
    );
  const insertFace = db.prepare(
    `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur, quality_pose,
       embedding, model_id, source, created_at) VALUES (?, ?, 10, 100, 100, '[]', 0.99, 0.9, 100, 100, 0.1, ?, 'test', 'detector', 1)`,
  );
  const faceIds = new Map<GlintFace, number>();
  const shared = photo(0); // a group photo: person 0's face 5 and person 6's face 0
  faces.forEach((f, i) => {
    const together = f === faces[5] || f === faces[48];
    const id = Number(
      insertFace.run(
        together ? shared : photo(i + 1),
        together ? (i % 2) * 200 : 10,
        embeddingToBlob(f.embedding),
      ).lastInsertRowid,
    );
    faceIds.set(f, id);
  });
  const people = new PeopleRepo(db);
  const assignments = new AssignmentsRepo(db);
  const names = [...new Set(faces.map((f) => f.person))];
  const personIds = new Map(names.slice(0, 6).map((n) => [n, people.create(n).id]));
  for (const n of names.slice(0, 6)) {
    for (const f of faces.filter((x) => x.person === n).slice(0, 5))
      assignments.confirm(faceIds.get(f)!, personIds.get(n)!);
  }
  // "Not this person": person 7's first face is not person 0.
  assignments.reject(faceIds.get(faces[56]!)!, personIds.get(names[0]!)!);
  return { engine, faceIds, personIds, faces };
}
