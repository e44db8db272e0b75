import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseDate } from '../../main/cli/commands/search';
import { scanNearest } from '../../main/engine/search/exact-scan';
import {
  DIMENSIONS,
  FaceVectors,
  FLOAT_BLOCK,
  GROW_BY_EIGHTHS,
  normalisedEmbedding,
} from '../../main/engine/search/face-vectors';
import { HnswIndex } from '../../main/engine/search/hnsw-index';
import { mergePeople, type PersonPhotos } from '../../main/engine/search/people-match';
import { tempDir } from '../support/temp';

/** Deterministic unit vectors in clusters (a centre plus noise), like several photos of each person. */
function clustered(count: number, clusters: number, noise: number, seed = 7): Float32Array[] {
  let s = seed;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const centres = Array.from({ length: clusters }, () =>
    normalisedEmbedding(Array.from({ length: DIMENSIONS }, rnd)),
  );
  return Array.from({ length: count }, (_, i) =>
    normalisedEmbedding(Array.from(centres[i % clusters]!, (x) => x + noise * rnd())),
  );
}

function bruteForce(vectors: Float32Array[], q: Float32Array, k: number): number[] {
  return vectors
    .map((v, i) => ({ id: i + 1, s: v.reduce((acc, x, j) => acc + x * q[j]!, 0) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((h) => h.id);
}

function store(vectors: Float32Array[]): FaceVectors {
  const fv = new FaceVectors();
  vectors.forEach((v, i) => {
    fv.upsert(i + 1, 1000 + i, v);
  });
  return fv;
}

test('float scan returns exactly the brute-force top k with exact scores', () => {
  const vectors = clustered(3000, 30, 0.05);
  const fv = store(vectors);
  for (const qi of [0, 17, 2999]) {
    const q = vectors[qi]!;
    const hits = scanNearest(fv, q, 10, { floatLimit: Infinity, threads: 1 });
    assert.deepEqual(
      hits.map((h) => h.faceId),
      bruteForce(vectors, q, 10),
    );
    assert.ok(Math.abs(hits[0]!.score - 1) < 1e-5, 'a face is its own best match with similarity 1');
  }
});

test('int8 scan with float re-scoring agrees with the exact top 10 (recall ≥ 0.98)', () => {
  const vectors = clustered(5000, 50, 0.08);
  const fv = store(vectors);
  let found = 0;
  const queries = clustered(40, 50, 0.08, 99);
  for (const q of queries) {
    const exact = new Set(bruteForce(vectors, q, 10));
    const hits = scanNearest(fv, q, 10, { floatLimit: 0, threads: 1 });
    found += hits.filter((h) => exact.has(h.faceId)).length;
  }
  assert.ok(found / (queries.length * 10) >= 0.98, `recall@10 ${found / (queries.length * 10)}`);
});

test('vectors: upsert replaces, remove keeps the others findable (slots are reused)', () => {
  const vectors = clustered(50, 5, 0.05);
  const fv = store(vectors);
  assert.equal(fv.size, 50);
  assert.ok(fv.remove(1));
  assert.ok(!fv.remove(1), 'removing twice is a no-op');
  assert.equal(fv.size, 49);
  // face 50 moved into slot 0: it must still be found, with its own vector.
  const hit50 = scanNearest(fv, vectors[49]!, 1, { floatLimit: Infinity, threads: 1 })[0]!;
  assert.equal(hit50.faceId, 50);
  fv.upsert(2, 77, vectors[10]!);
  assert.equal(fv.size, 49);
  assert.equal(fv.photoAt(fv.slotOf(2)!), 77);
  const hits = scanNearest(fv, vectors[10]!, 2, { floatLimit: Infinity, threads: 1 }).map((h) => h.faceId);
  assert.deepEqual(new Set(hits), new Set([2, 11]));
});

test('a large store grows by an eighth, not by doubling, and keeps every vector', () => {
  const fv = new FaceVectors();
  const n = GROW_BY_EIGHTHS + 10;
  fv.reserve(n);
  const full = fv.bytes();
  const v = normalisedEmbedding(Array.from({ length: DIMENSIONS }, (_, k) => (k % 7) - 3));
  for (let id = 1; id <= n + 1; id++) fv.upsert(id, id, v);
  assert.equal(fv.size, n + 1);
  // One face past a full store: at most an eighth more (a doubling held 1.3 GB at 250 000 faces).
  assert.ok(fv.bytes() <= Math.ceil(full * 1.126), `${fv.bytes()} bytes after one more face, ${full} before`);
  assert.ok(fv.bytes() > full);
  assert.deepEqual(fv.vector(n + 1), v);
  assert.deepEqual(fv.vector(1), v);
});

test('float vectors across blocks: found, moved on removal and scanned exactly', () => {
  // Three blocks of FLOAT_BLOCK faces ([Note: float vectors in blocks]).
  const n = 2 * FLOAT_BLOCK + 100;
  const vectors = clustered(n, 50, 0.5, 3);
  const fv = store(vectors);
  // Removing a face moves the last one (in the third block) into its slot (in the first).
  assert.ok(fv.remove(5));
  assert.deepEqual(fv.vector(n), vectors[n - 1]);
  assert.equal(fv.vector(5), null);
  const q = vectors[FLOAT_BLOCK + 7]!;
  const kept = vectors.map((v, i) => (i === 4 ? null : v));
  const truth = kept
    .map((v, i) => ({ id: i + 1, s: v ? v.reduce((acc, x, j) => acc + x * q[j]!, 0) : -Infinity }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 10);
  const exact = scanNearest(fv, q, 10, { floatLimit: Infinity, threads: 1 });
  assert.deepEqual(
    exact.map((h) => h.faceId),
    truth.map((t) => t.id),
  );
  exact.forEach((h, i) => {
    assert.ok(Math.abs(h.score - truth[i]!.s) < 1e-5);
  });
  const quantised = scanNearest(fv, q, 10, { floatLimit: 0, threads: 1 });
  assert.equal(quantised[0]!.faceId, FLOAT_BLOCK + 8);
  assert.ok(Math.abs(quantised[0]!.score - 1) < 1e-5);
});

test('a filtered scan only returns faces of the given slots', () => {
  const vectors = clustered(200, 4, 0.05);
  const fv = store(vectors);
  const slots = Int32Array.from([5, 9, 13, 100]);
  for (const floatLimit of [Infinity, 0]) {
    const hits = scanNearest(fv, vectors[0]!, 10, { floatLimit, threads: 1 }, slots);
    assert.deepEqual(
      hits.map((h) => h.faceId).sort((a, b) => a - b),
      [6, 10, 14, 101],
    );
  }
});

test('embeddings with the wrong size or bad values are refused with a clear message', () => {
  assert.throws(() => normalisedEmbedding(new Float32Array(128)), /512 numbers; this one has 128/);
  assert.throws(() => normalisedEmbedding(new Array<number>(512).fill(Number.NaN)), /finite/);
  assert.throws(() => normalisedEmbedding(new Float32Array(512)), /all zeros/);
  assert.throws(() => {
    new FaceVectors().upsert(1, 1, new Float32Array(3));
  }, /expected 512/);
});

test('HNSW: incremental add, replace and remove; saved and loaded intact', (t) => {
  const vectors = clustered(2000, 40, 0.05);
  const params = { connectivity: 16, expansionAdd: 64, expansionSearch: 64 };
  const hnsw = new HnswIndex(params);
  const flat = new Float32Array(vectors.length * DIMENSIONS);
  vectors.forEach((v, i) => {
    flat.set(v, i * DIMENSIONS);
  });
  hnsw.add(
    vectors.map((_, i) => i + 1),
    flat,
    1,
  );
  assert.equal(hnsw.size, 2000);
  assert.equal(hnsw.search(vectors[5]!, 1)[0], 6);
  hnsw.remove(6);
  assert.ok(!hnsw.has(6));
  assert.ok(!hnsw.search(vectors[5]!, 10).includes(6), 'a removed face is never returned');
  hnsw.add([7], vectors[5]!, 1); // face 7 now carries face 6's old vector
  assert.equal(hnsw.search(vectors[5]!, 1)[0], 7);
  assert.equal(hnsw.size, 1999);
  const file = path.join(tempDir(t), 'faces.usearch');
  hnsw.save(file);
  const loaded = HnswIndex.load(file, params);
  assert.ok(loaded);
  assert.equal(loaded.size, 1999);
  assert.equal(loaded.search(vectors[5]!, 1)[0], 7);
  assert.equal(HnswIndex.load(path.join(path.dirname(file), 'missing.usearch'), params), null);
});

test('several people: one different face per person, ranked by the weakest match', () => {
  const a: PersonPhotos = new Map([
    [1, [{ faceId: 10, score: 0.9, match: 'confirmed' }]],
    [2, [{ faceId: 20, score: 0.8, match: 'similar' }]],
    [3, [{ faceId: 30, score: 0.7, match: 'similar' }]],
    [4, [{ faceId: 40, score: 0.9, match: 'confirmed' }]],
  ]);
  const b: PersonPhotos = new Map([
    [1, [{ faceId: 11, score: 0.6, match: 'auto' }]],
    [2, [{ faceId: 21, score: 0.95, match: 'confirmed' }]],
    // photo 3: B's only candidate is A's face: one face is never two people.
    [3, [{ faceId: 30, score: 0.75, match: 'similar' }]],
    [5, [{ faceId: 50, score: 0.9, match: 'confirmed' }]],
  ]);
  const merged = mergePeople([a, b]);
  assert.deepEqual(
    merged.map((m) => m.photoId),
    [1, 2],
  );
  assert.deepEqual(
    merged[0]!.faces.map((f) => f.faceId),
    [10, 11],
  );
  assert.equal(merged[1]!.score, 0.8);
});

test('dates on the command line: partial dates cover the whole period', () => {
  assert.equal(parseDate('2020', false), new Date(2020, 0, 1).getTime());
  assert.equal(parseDate('2020', true), new Date(2021, 0, 1).getTime() - 1);
  assert.equal(parseDate('2020-02', true), new Date(2020, 2, 1).getTime() - 1);
  assert.equal(parseDate('2020-02-28', true), new Date(2020, 1, 29).getTime() - 1);
  assert.throws(() => parseDate('2020-13', false), /Not a date/);
  assert.throws(() => parseDate('yesterday', false), /Not a date/);
});
