/**
 * The face index on a real catalog (temporary SQLite file) filled with real embeddings of
 * glint_celebs24: labelled search quality, approximate vs exact agreement, incremental updates through the
 * change log, persistence of the graph, and filters.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase, type Db } from '../../main/engine/catalog/database';
import { DEFAULT_INDEX_OPTIONS, FaceIndex, type FaceIndexOptions } from '../../main/engine/search/face-index';
import { normalisedEmbedding } from '../../main/engine/search/face-vectors';
import { SearchRepo } from '../../main/engine/catalog/search-repo';
import { SearchService } from '../../main/engine/search/search-service';
import { tempDir } from '../support/temp';
import { glintEmbeddings, seedCatalog } from './search-fixtures';

const glint = await glintEmbeddings(12);

function catalog(t: import('node:test').TestContext): { db: Db; dir: string } {
  const dir = tempDir(t);
  const db = openDatabase(path.join(dir, 'catalog.db'));
  t.after(() => db.close());
  return { db, dir };
}

function service(db: Db, options: Partial<FaceIndexOptions> = {}) {
  const repo = new SearchRepo(db);
  const index = new FaceIndex(repo, { ...DEFAULT_INDEX_OPTIONS, ...options });
  const analyseImage = () => Promise.reject(new Error('no images in this test'));
  return { index, search: new SearchService({ repo, index, analyseImage }) };
}

/** Each glint face as its own photo under /lib/<identity>/. */
function seedGlint(db: Db): Map<number, string> {
  const ids = seedCatalog(
    db,
    glint.embeddings.map((e, i) => ({ path: `/lib/${glint.labels[i]!}/${i}.png`, faces: [e] })),
  );
  return new Map(ids.map((f, i) => [f[0]!, glint.labels[i]!]));
}

/** Noisy copies of real embeddings (σ per component), like more photos of the same people. */
function replicas(count: number, sigma: number, seed = 1): Float32Array[] {
  let s = seed;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());
  return Array.from({ length: count }, (_, i) =>
    normalisedEmbedding(
      Array.from(glint.embeddings[i % glint.embeddings.length]!, (x) => x + sigma * gauss()),
    ),
  );
}

test('querying a face of a person returns that person first (glint_celebs24, real embeddings)', (t) => {
  const { db } = catalog(t);
  const labelOf = seedGlint(db);
  const { search } = service(db);
  let top1 = 0;
  let precision5 = 0;
  for (const [faceId, label] of labelOf) {
    const results = search.searchByFace(faceId, { top: 5, threshold: -1 });
    assert.equal(results.length, 5);
    assert.ok(!results.some((r) => r.faces[0]!.faceId === faceId), 'the query face itself is left out');
    const same = results.map((r) => path.basename(path.dirname(r.path)) === label);
    if (same[0]) top1++;
    precision5 += same.filter(Boolean).length / 5;
  }
  const n = labelOf.size;
  assert.ok(top1 / n >= 0.95, `top-1 same person ${(top1 / n).toFixed(3)}`);
  assert.ok(precision5 / n >= 0.9, `precision@5 ${(precision5 / n).toFixed(3)}`);
  // With the default threshold, results are ranked by similarity and all above it.
  const first = search.searchByFace([...labelOf.keys()][0]!, { top: 100 });
  assert.ok(first.length > 0);
  for (let i = 1; i < first.length; i++) assert.ok(first[i - 1]!.score >= first[i]!.score);
  assert.ok(first.every((r) => r.score >= 0.4));
});

test('approximate index agrees with exact search (recall@10 ≥ 0.98) and follows adds and deletes', (t) => {
  const { db, dir } = catalog(t);
  const faces = [...glint.embeddings, ...replicas(3000 - glint.embeddings.length, 0.03)];
  const ids = seedCatalog(
    db,
    faces.map((e, i) => ({ path: `/lib/p/${i}.png`, faces: [e] })),
  ).map((f) => f[0]!);
  const exact = service(db, { annThreshold: Infinity }).index;
  const annFile = path.join(dir, 'search', 'catalog.faces.usearch');
  const approx = service(db, { annThreshold: 1, annFile }).index;
  approx.buildNow();
  assert.equal(approx.status().mode, 'approximate');
  assert.equal(exact.status().mode, 'exact');
  const queries = replicas(60, 0.03, 42);
  let found = 0;
  for (const q of queries) {
    const truth = new Set(exact.search(q, 10).map((h) => h.faceId));
    found += approx.search(q, 10).filter((h) => truth.has(h.faceId)).length;
  }
  const recall = found / (queries.length * 10);
  assert.ok(recall >= 0.98, `recall@10 ${recall}`);

  // Incremental: a deleted face disappears, a new one appears, a changed embedding moves.
  const q = faces[5]!;
  assert.equal(approx.search(q, 1)[0]!.faceId, ids[5]);
  db.prepare('UPDATE faces SET deleted_at = ? WHERE id = ?').run(Date.now(), ids[5]);
  for (const index of [approx, exact]) assert.notEqual(index.search(q, 1)[0]!.faceId, ids[5]);
  const [added] = seedCatalog(db, [{ path: '/lib/p/new.png', faces: [q] }])[0]!;
  for (const index of [approx, exact]) assert.equal(index.search(q, 1)[0]!.faceId, added);
  db.prepare('UPDATE faces SET embedding = ? WHERE id = ?').run(Buffer.from(faces[7]!.buffer), added);
  assert.equal(approx.search(faces[7]!, 2).filter((h) => h.faceId === added).length, 1);
  assert.equal(approx.status().mode, 'approximate', 'small changes keep the graph in use');
  assert.equal(approx.status().annSize, approx.status().faces);

  // Saved on close; the next start loads it and applies what changed meanwhile, without a rebuild.
  approx.close();
  db.prepare('DELETE FROM faces WHERE id = ?').run(ids[9]);
  const reopened = service(db, { annThreshold: 1, annFile }).index;
  const status = reopened.status();
  assert.equal(status.mode, 'approximate');
  assert.equal(status.annPending, 0);
  assert.equal(status.faces, 3000 - 1 + 1 - 1);
  assert.equal(status.annSize, status.faces);
  assert.ok(!reopened.search(faces[9]!, 10).some((h) => h.faceId === ids[9]));
});

test('filters: folder (and below it) and date range; photos without a date never match a range', (t) => {
  const { db } = catalog(t);
  const day = 86_400_000;
  const e = glint.embeddings;
  const [a1, a2, b1, c1, nodate] = seedCatalog(db, [
    { path: '/lib/2019/a.png', takenAt: Date.UTC(2019, 5, 1), faces: [e[0]!] },
    { path: '/lib/2020/x/a.png', takenAt: Date.UTC(2020, 5, 1), faces: [e[1]!] },
    { path: '/lib/2020/b.png', takenAt: Date.UTC(2020, 7, 1), faces: [e[2]!] },
    { path: '/lib/2020x/c.png', takenAt: Date.UTC(2020, 5, 1), faces: [e[3]!] },
    { path: '/lib/2020/n.png', takenAt: null, faces: [e[4]!] },
  ]).map((f) => f[0]!);
  const { search } = service(db);
  const found = (opts: object) =>
    search
      .searchByEmbedding(e[0]!, { top: 10, threshold: -1, ...opts })
      .map((r) => r.faces[0]!.faceId)
      .sort((x, y) => x - y);
  assert.deepEqual(found({}), [a1, a2, b1, c1, nodate]);
  assert.deepEqual(found({ folder: '/lib/2020' }), [a2, b1, nodate], '/lib/2020x is not inside /lib/2020');
  assert.deepEqual(found({ folder: '/lib/2020/' }), [a2, b1, nodate]);
  assert.deepEqual(found({ from: Date.UTC(2020, 0, 1) }), [a2, b1, c1]);
  assert.deepEqual(found({ from: Date.UTC(2020, 0, 1), to: Date.UTC(2020, 6, 1) }), [a2, c1]);
  assert.deepEqual(found({ folder: '/lib/2020', to: Date.UTC(2020, 5, 1) + day }), [a2]);
  assert.deepEqual(found({ folder: '/nowhere' }), []);
});

test('a reader whose change-log entries were pruned by another process reloads and stays correct', (t) => {
  const { db } = catalog(t);
  const ids = seedCatalog(
    db,
    glint.embeddings.slice(0, 50).map((e, i) => ({ path: `/lib/p/${i}.png`, faces: [e] })),
  ).map((f) => f[0]!);
  const reader = service(db).index;
  assert.equal(reader.status().faces, 50);
  db.prepare('UPDATE faces SET deleted_at = 1 WHERE id = ?').run(ids[0]);
  const repo = new SearchRepo(db);
  repo.prune(repo.lastChange()); // another process trimmed the log past this reader
  assert.equal(repo.changesSince(0).faceIds.size, 0);
  assert.equal(reader.status().faces, 49);
  assert.notEqual(reader.search(glint.embeddings[0]!, 1)[0]!.faceId, ids[0]);
});

test('the graph is built in the background in small steps while the scan serves, then saved', async (t) => {
  const { db, dir } = catalog(t);
  seedCatalog(
    db,
    glint.embeddings.map((e, i) => ({ path: `/lib/p/${i}.png`, faces: [e] })),
  );
  const annFile = path.join(dir, 'search', 'bg.faces.usearch');
  const { index } = service(db, { annThreshold: 100, buildChunk: 100, annFile });
  const first = index.status();
  assert.equal(first.faces, glint.embeddings.length);
  assert.ok(first.annPending > 0, 'the graph is not built on the request path');
  assert.notEqual(first.mode, 'approximate');
  assert.equal(index.search(glint.embeddings[3]!, 1)[0]!.score > 0.99, true, 'the scan answers meanwhile');
  const deadline = Date.now() + 120_000;
  while (index.status().annPending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const done = index.status();
  assert.equal(done.annPending, 0);
  assert.equal(done.mode, 'approximate');
  assert.equal(done.annSize, glint.embeddings.length);
  assert.ok(existsSync(annFile) && existsSync(`${annFile}.json`), 'saved once complete');
  index.close();
});
