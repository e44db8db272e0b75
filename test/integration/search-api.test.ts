/**
 * Search through the contract and the CLI, on real catalogs: people (confirmed, look-alikes, rejections,
 * several together), real photos indexed by the real pipeline and searched by image file, and bad input.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { UserError } from '../../main/api/contract';
import { main } from '../../main/cli/main';
import { openEngine } from '../../main/engine/engine';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';
import { confirmFaces, glintEmbeddings, seedCatalog } from './search-fixtures';

const glint = await glintEmbeddings(12);
const byLabel = new Map<string, Float32Array[]>();
glint.labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), glint.embeddings[i]!]));
const [nameA, nameB, nameC] = [...byLabel.keys()] as [string, string, string];
const facesOf = (name: string) => byLabel.get(name)!;

function engineWith(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const dbPath = path.join(dir, 'catalog.db');
  const engine = openEngine({ dbPath });
  t.after(() => engine.close());
  return { engine, dir, dbPath, db: engine.context.db };
}

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/**
 * A: 12 single photos (6 confirmed, 6 left unassigned); B likewise; 4 group photos with A and B
 * (unassigned faces); C: 12 single photos, none named.
 */
function seedPeople(db: import('../../main/engine/catalog/database').Db) {
  const [a, b, c] = [facesOf(nameA), facesOf(nameB), facesOf(nameC)];
  const singles = (name: string, list: Float32Array[]) =>
    seedCatalog(
      db,
      list.slice(0, 8).map((e, i) => ({ path: `/lib/${name}/${i}.png`, faces: [e] })),
    ).map((f) => f[0]!);
  const aIds = singles('a', a);
  const bIds = singles('b', b);
  const cIds = singles('c', c);
  const groups = seedCatalog(
    db,
    [0, 1, 2, 3].map((i) => ({ path: `/lib/groups/${i}.png`, faces: [a[8 + i]!, b[8 + i]!] })),
  );
  confirmFaces(db, nameA, aIds.slice(0, 4));
  confirmFaces(db, nameB, bIds.slice(0, 4));
  return { aIds, bIds, cIds, groups };
}

test('by person: confirmed faces first, then unassigned look-alikes; rejections respected', async (t) => {
  const { engine, db } = engineWith(t);
  const { aIds, cIds, groups } = seedPeople(db);
  const { results } = await engine.api['search.byPeople']({ people: [nameA.toUpperCase()], top: 100 });
  const faceIds = results.map((r) => r.faces[0]!.faceId);
  assert.deepEqual(
    results.slice(0, 4).map((r) => r.faces[0]!.match),
    ['confirmed', 'confirmed', 'confirmed', 'confirmed'],
  );
  assert.deepEqual(new Set(faceIds.slice(0, 4)), new Set(aIds.slice(0, 4)));
  const similar = results.filter((r) => r.faces[0]!.match === 'similar').map((r) => r.faces[0]!.faceId);
  const trueA = new Set([...aIds, ...groups.map((g) => g[0]!)]);
  const correct = similar.filter((id) => trueA.has(id)).length;
  assert.ok(correct >= 6, `found ${correct} of A's 8 unassigned faces by similarity`);
  assert.ok(correct / similar.length >= 0.9, `look-alike precision ${correct}/${similar.length}`);
  assert.ok(!faceIds.some((id) => cIds.includes(id)), "none of C's faces is offered as A");

  const named = await engine.api['search.byPeople']({ people: [nameA], similar: false, top: 100 });
  assert.equal(named.results.length, 4);

  // "Not this person": a rejected face never comes back as a look-alike.
  const rejected = similar[0]!;
  const personId = (db.prepare('SELECT id FROM people WHERE name = ?').get(nameA) as { id: number }).id;
  db.prepare('INSERT INTO rejections (face_id, person_id, created_at) VALUES (?, ?, ?)').run(
    rejected,
    personId,
    0,
  );
  const again = await engine.api['search.byPeople']({ people: [nameA], top: 100 });
  assert.ok(!again.results.some((r) => r.faces[0]!.faceId === rejected));
});

test('several people: only photos with all of them, one face each; CLI prints the same', async (t) => {
  const { engine, db, dbPath } = engineWith(t);
  const { groups } = seedPeople(db);
  const { results } = await engine.api['search.byPeople']({ people: [nameA, nameB], top: 100 });
  assert.deepEqual(results.map((r) => r.path).sort(), groups.map((_, i) => `/lib/groups/${i}.png`).sort());
  for (const r of results) {
    const [fa, fb] = r.faces;
    assert.notEqual(fa!.faceId, fb!.faceId);
    assert.ok(r.score <= Math.min(fa!.score, fb!.score) + 1e-9);
  }
  const named = await engine.api['search.byPeople']({ people: [nameA, nameB], similar: false });
  assert.equal(named.results.length, 0, 'nobody confirmed the group photos');
  // Each on their own is in the photos of their confirmed faces: the UI says so beside "no photo together".
  assert.deepEqual(named.people, [
    { name: nameA, photos: 4 },
    { name: nameB, photos: 4 },
  ]);

  const run = await cli(['--db', dbPath, 'search', '--person', nameA, '--person', nameB, '--json']);
  assert.equal(run.code, 0, run.err.join('\n'));
  const printed = JSON.parse(run.out.join('')) as { results: { path: string }[] };
  assert.deepEqual(printed.results.map((r) => r.path).sort(), results.map((r) => r.path).sort());
  const text = await cli([
    '--db',
    dbPath,
    'search',
    '--person',
    nameA,
    '--person',
    nameB,
    '--folder',
    '/lib/a',
  ]);
  assert.equal(text.code, 3);
  assert.deepEqual(text.out, ['No matching photos.']);
});

test('bad input: clear errors for unknown or deleted faces, unknown people, wrong-size embeddings, no face', async (t) => {
  const { engine, db, dir, dbPath } = engineWith(t);
  const { aIds } = seedPeople(db);
  await assert.rejects(engine.api['search.byFace']({ faceId: 999_999 }), /Face 999999 does not exist/);
  db.prepare('UPDATE faces SET deleted_at = 1 WHERE id = ?').run(aIds[7]);
  await assert.rejects(engine.api['search.byFace']({ faceId: aIds[7]! }), /was deleted/);
  await assert.rejects(
    engine.api['search.byPeople']({ people: ['Nobody Atall'] }),
    /Unknown person "Nobody Atall"/,
  );
  await assert.rejects(
    engine.api['search.byEmbedding']({ embedding: new Array<number>(128).fill(0.1) }),
    /512 numbers; this one has 128/,
  );
  await assert.rejects(engine.api['search.byImage']({ path: path.join(dir, 'nope.jpg') }), /Image not found/);
  const blank = path.join(dir, 'blank.png');
  await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .png()
    .toFile(blank);
  const err = await engine.api['search.byImage']({ path: blank }).catch((e: unknown) => e);
  assert.ok(
    err instanceof UserError && err.code === 'not_found' && /No face found/.test(err.message),
    String(err),
  );
  const run = await cli(['--db', dbPath, 'search', '--image', blank]);
  assert.equal(run.code, 3);
  assert.match(run.err.join('\n'), /No face found/);
  assert.equal((await cli(['--db', dbPath, 'search'])).code, 2);
  assert.equal((await cli(['--db', dbPath, 'search', '--face-id', '1', '--person', 'x'])).code, 2);
  assert.equal((await cli(['--db', dbPath, 'search', '--face-id', '1', '--from', '2020-13'])).code, 2);
});

test('by image file: real photos indexed by the real pipeline; the largest face or the chosen one', async (t) => {
  const { engine, dir, dbPath } = engineWith(t);
  const lib = path.join(dir, 'photos');
  mkdirSync(lib);
  const examples = 'face_recognition/examples';
  for (const f of ['obama.jpg', 'obama2.jpg', 'biden.jpg', 'two_people.jpg', 'alex-lacamoire.png'])
    copyFileSync(face(examples, f), path.join(lib, f));
  await engine.api['library.addFolder']({ path: lib, index: false });
  await engine.api['library.rescan']({ wait: true });

  const obama = await engine.api['search.byImage']({ path: face(examples, 'obama-480p.jpg') });
  assert.equal(obama.faces.length, 1);
  const names = obama.results.map((r) => path.basename(r.path));
  assert.deepEqual(
    new Set(names.slice(0, 3)),
    new Set(['obama.jpg', 'obama2.jpg', 'two_people.jpg']),
    names.join(),
  );
  assert.ok(!names.includes('biden.jpg') && !names.includes('alex-lacamoire.png'), names.join());

  // two_people.jpg: Obama left (face 0), Biden right (face 1).
  const biden = await engine.api['search.byImage']({ path: face(examples, 'two_people.jpg'), face: 1 });
  assert.equal(biden.used, 1);
  const bidenNames = biden.results.map((r) => path.basename(r.path));
  assert.ok(bidenNames.includes('biden.jpg'), bidenNames.join());
  assert.ok(!bidenNames.includes('obama.jpg') && !bidenNames.includes('obama2.jpg'), bidenNames.join());
  await assert.rejects(
    engine.api['search.byImage']({ path: face(examples, 'two_people.jpg'), face: 5 }),
    /has 2 face\(s\); the face number must be 0\.\.1/,
  );
  const run = await cli(['--db', dbPath, 'search', '--image', face(examples, 'obama.jpg'), '--top', '2']);
  assert.equal(run.code, 0, run.err.join('\n'));
  assert.equal(run.out.length, 2);
  assert.match(run.out[0]!, /^1\.000 .* .*obama\.jpg/);
});
