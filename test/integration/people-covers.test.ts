/**
 * [Note: covers follow the faces] A person's card never shows a face that is no longer theirs: moving the
 * cover face to someone else, splitting it off or rejecting it gives the card another of their faces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from './people-fixture';

test('a person’s cover follows their faces: moved, split off or rejected, another face of theirs stands in', async (t) => {
  const cat = tempCatalog(t);
  const byLabel = new Map<string, number[]>();
  for (const f of await realFaces(2, 6)) {
    const id = cat.photo([f]).faceIds[0]!;
    byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), id]);
  }
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const api = engine.api;
  const [aliceFaces, bobFaces] = [...byLabel.values()] as [number[], number[]];
  await api['people.name']({ faceIds: aliceFaces, person: 'Alice' });
  await api['people.name']({ faceIds: bobFaces.slice(0, 2), person: 'Bob' });
  const cover = async (name: string) =>
    (await api['people.list']({})).find((p) => p.name === name)?.coverFaceId ?? null;
  const own = async (name: string) =>
    (await api['library.faces']({ limit: 1000 })).items
      .filter((f) => f.person?.name === name && f.assignment === 'confirmed')
      .map((f) => f.id);

  const first = await cover('Alice');
  assert.ok(first !== null && aliceFaces.includes(first));
  // Moved to someone else.
  await api['people.name']({ faceIds: [first], person: 'Bob' });
  const second = await cover('Alice');
  assert.notEqual(second, first, 'the moved face is no longer Alice’s cover');
  assert.ok((await own('Alice')).includes(second!), 'the new cover is one of Alice’s faces');
  // Split off into a group of its own.
  await api['people.split']({ faceIds: [second!] });
  const third = await cover('Alice');
  assert.ok(third !== second && (await own('Alice')).includes(third!), 'a split-off face is no cover');
});
