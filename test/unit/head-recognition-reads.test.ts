/**
 * Recognition at library scale reads and scores without copies of the whole library
 * ([Note: embeddings read into one matrix]): faces other than the confirmed ones are read as one matrix
 * that recognition scores as it is, and the faces are transformed and scored in slices with the same
 * outcome as all at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../main/engine/catalog/database';
import { embeddingToBlob } from '../../main/engine/catalog/embedding-blob';
import { FacesRepo } from '../../main/engine/catalog/faces-repo';
import { identityParams } from '../../main/engine/head/model';
import { decideOpenSet, defaultOpenSet, type LibraryFace } from '../../main/engine/head/recognise/open-set';
import { withCurrentPrototypes } from '../../main/engine/head/recognise/recognise';
import { fromRows, matrix, row, rowsMatrix } from '../../main/engine/head/vector-math';
import { D, prior, world } from '../support/open-set-world';

test('rowsMatrix shares the rows of one matrix and copies anything else', () => {
  const m = fromRows([new Float32Array([1, 2]), new Float32Array([3, 4]), new Float32Array([5, 6])]);
  const rows = [0, 1, 2].map((i) => row(m, i));
  const shared = rowsMatrix(rows);
  assert.equal(shared.data.buffer, m.data.buffer, 'consecutive rows were copied');
  assert.deepEqual([...shared.data], [1, 2, 3, 4, 5, 6]);
  // Out of order, or not from the start: a copy with the same values.
  const reordered = rowsMatrix([rows[1]!, rows[0]!]);
  assert.notEqual(reordered.data.buffer, m.data.buffer);
  assert.deepEqual([...reordered.data], [3, 4, 1, 2]);
  assert.notEqual(rowsMatrix(rows.slice(1)).data.buffer, m.data.buffer);
});

test('all embeddings: the faces kept apart are packed on their own, the others form one matrix', () => {
  const db = openDatabase(':memory:');
  const folder = Number(
    db.prepare("INSERT INTO folders (path, added_at) VALUES ('/lib', 1)").run().lastInsertRowid,
  );
  const photo = Number(
    db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, width, height, status, created_at)
         VALUES (?, '/lib/a.jpg', 1, 1, 400, 200, 'done', 1)`,
      )
      .run(folder).lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur, quality_pose, embedding, model_id, created_at)
     VALUES (?, 0, 0, 10, 10, '[]', 0.9, 0.8, 10, 400, 0.1, ?, 'm', 1)`,
  );
  const vectors = Array.from({ length: 7 }, (_, i) =>
    Float32Array.from({ length: 512 }, (_, k) => i + k / 1000),
  );
  const ids = vectors.map((v) => Number(insert.run(photo, embeddingToBlob(v)).lastInsertRowid));
  const apart = new Set([ids[1]!, ids[4]!]);
  const faces = new FacesRepo(db).allEmbeddings(apart);
  assert.deepEqual(
    faces.map((f) => f.id),
    ids,
  );
  faces.forEach((f, i) => {
    assert.deepEqual(f.embedding, vectors[i], `face ${i} read wrong`);
  });
  const rest = faces.filter((f) => !apart.has(f.id)).map((f) => f.embedding);
  assert.equal(rowsMatrix(rest).data.buffer, rest[0]!.buffer, 'the faces not kept apart are not one matrix');
  db.close();
});

test('scoring in slices decides exactly as scoring all faces at once', () => {
  const { unit, around } = world(5);
  const centres = Array.from({ length: 12 }, unit);
  const confirmed: { faceId: number; photoId: number; personId: number; embedding: Float32Array }[] = [];
  const faces: LibraryFace[] = [];
  let id = 0;
  centres.forEach((c, p) => {
    for (let k = 0; k < 60; k++) {
      id++;
      const e = around(c, 0.8);
      if (p < 5 && k < 3) confirmed.push({ faceId: id, photoId: id, personId: p + 1, embedding: e });
      else faces.push({ id, photoId: id, cluster: k % 10 === 0 ? p : null, embedding: e });
    }
  });
  const params = withCurrentPrototypes(identityParams(D, [], matrix(0, D)), confirmed);
  const input = { params, confirmed, faces, rejected: new Map<number, Set<number>>(), prior };
  const whole = decideOpenSet(input, undefined, { ...defaultOpenSet, scoreSlice: Infinity });
  const sliced = decideOpenSet(input, undefined, { ...defaultOpenSet, scoreSlice: 97 });
  assert.ok(
    whole.decisions.some((d) => d.kind),
    'nothing was named: the test would prove nothing',
  );
  assert.deepEqual(sliced, whole);
});
