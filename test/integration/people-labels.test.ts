/** Export → import → export of every label gives the same file; an import never overrides this catalog's decisions. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from './people-fixture';

/** The same photos (same content hashes and boxes) in a fresh catalog. */
async function library(t: TestContext) {
  const cat = tempCatalog(t, '/photos/family');
  const faces = await realFaces(4, 6);
  const ids: number[] = [];
  for (let i = 0; i < faces.length; i += 3) ids.push(...cat.photo(faces.slice(i, i + 1)).faceIds);
  for (let i = 1; i < faces.length; i += 3) ids.push(...cat.photo([faces[i]!, faces[i + 1]!]).faceIds);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  return { cat, api: engine.api, ids };
}

test('export, import into another catalog of the same photos, export again: identical files', async (t) => {
  // Faces are found by content hash and box, not path: see the second test for photos that moved.
  const a = await library(t);
  await a.api['people.name']({ faceIds: [a.ids[0]!, a.ids[1]!], person: 'Ann' });
  await a.api['people.name']({ faceIds: [a.ids[9]!], person: 'Bo' });
  await a.api['people.reject']({ faceId: a.ids[2]!, person: 'Ann' });
  await a.api['people.deleteFace']({ faceId: a.ids[3]! });
  await a.api['people.name']({ faceIds: [a.ids[4]!], person: 'Hidden One' });
  await a.api['people.hide']({ person: 'Hidden One', hidden: true });
  await a.api['people.name']({ faceIds: [a.ids[5]!], person: 'Gone' });
  await a.api['people.merge']({ from: 'Gone', into: 'Bo' });
  await a.api['people.cluster']({ full: true });
  const group = (await a.api['people.groups']({ minSize: 2 }))[0];
  if (group) await a.api['people.split']({ faceIds: group.faceIds.slice(0, 1) });
  const first = await a.api['people.exportLabels']({});
  assert.equal(first.people.length, 3);
  assert.ok(first.faces.some((f) => f.deleted));
  assert.ok(first.faces.some((f) => f.rejected.includes('Ann')));
  assert.equal(first.splits.length, group ? 1 : 0);

  const b = await library(t);
  const report = await b.api['people.importLabels']({ labels: first });
  assert.deepEqual(report.unmatched, []);
  assert.deepEqual(report.conflicts, []);
  assert.equal(report.people, 3);
  const second = await b.api['people.exportLabels']({});
  assert.deepEqual(second, first);
  // Importing the same file again changes nothing.
  const again = await b.api['people.importLabels']({ labels: first });
  assert.equal(again.confirmed + again.rejected + again.deleted + again.people, 0);
  assert.deepEqual(await b.api['people.exportLabels']({}), first);
  // And the whole import is one undoable step.
  await b.api['people.undo']({}); // the no-op import
  await b.api['people.undo']({});
  const empty = await b.api['people.exportLabels']({});
  assert.deepEqual([empty.people, empty.faces], [[], []]);
});

test("an import keeps this catalog's confirmations and reports what it could not match", async (t) => {
  const a = await library(t);
  await a.api['people.name']({ faceIds: [a.ids[0]!], person: 'Ann' });
  const file = await a.api['people.exportLabels']({});
  const b = await library(t);
  await b.api['people.name']({ faceIds: [b.ids[0]!], person: 'Zed' });
  const stranger = {
    ...file.faces[0]!,
    photo: { ...file.faces[0]!.photo, hash: 'no-such-photo', path: '/nowhere.jpg' },
  };
  const elsewhere = { ...file.faces[0]!, box: { x: 5000, y: 5000, w: 10, h: 10 } };
  const report = await b.api['people.importLabels']({
    labels: { ...file, faces: [...file.faces, stranger, elsewhere] },
  });
  assert.equal(report.confirmed, 0);
  assert.equal(report.conflicts.length, 1);
  assert.match(report.conflicts[0]!.reason, /confirmed as someone else/);
  assert.deepEqual(
    report.unmatched.map((u) => u.reason),
    ['photo not in the library', 'no face at this box'],
  );
  const zed = await b.api['people.get']({ person: 'Zed' });
  assert.equal(zed.person.faces, 1);
  assert.deepEqual(
    (await b.api['people.list']({ includeHidden: true })).map((p) => p.name),
    ['Zed'],
    'no empty person is left by labels that all conflicted',
  );
  assert.equal(report.people, 0);
  await assert.rejects(
    b.api['people.importLabels']({ labels: { ...file, splits: [{ a: [0], b: [99] }] } }),
    /Split refers to face 99/,
  );
});
