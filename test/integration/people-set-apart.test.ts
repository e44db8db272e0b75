/**
 * [Note: faces set apart] A face the user set apart ("not this person", split off a person or a group)
 * stays listed by `people.setApart` across a restart of the engine (the app's reload), until it is named
 * or joins a listed group; undoing the edit that set it apart takes it off the list. Real catalog file,
 * real faces, the contract's own requests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from './people-fixture';

test('faces set apart are listed after a restart until named; undo takes them off', async (t) => {
  const cat = tempCatalog(t);
  for (const f of await realFaces(3, 5)) cat.photo([f]);
  let engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  await engine.api['people.cluster']({ full: true });
  const groups = await engine.api['people.groups']({});
  const [first, second] = groups.filter((g) => g.size >= 3);
  assert.ok(first && second, `two groups of 3 or more: ${JSON.stringify(groups)}`);
  assert.deepEqual(await engine.api['people.setApart']({}), [], 'nothing set apart yet');

  // "Not Ann" on one of Ann's faces, and one face split off an unnamed group.
  await engine.api['people.name']({ group: first.id, person: 'Ann' });
  const rejected = first.faceIds[0]!;
  await engine.api['people.reject']({ faceId: rejected, person: 'Ann' });
  const splitOff = second.faceIds[0]!;
  await engine.api['people.split']({ faceIds: [splitOff] });
  const listed = async () => (await engine.api['people.setApart']({})).map((g) => g.faceIds);
  assert.deepEqual((await listed()).flat().sort(), [rejected, splitOff].sort());

  // A reload (a new engine on the same catalog) still lists them.
  await engine.close();
  engine = openEngine({ dbPath: cat.file });
  assert.deepEqual((await listed()).flat().sort(), [rejected, splitOff].sort(), 'listed after a restart');
  for (const g of await engine.api['people.setApart']({})) assert.equal(g.size, g.faceIds.length);

  // Named, it is no longer apart; the naming undone, it is again.
  await engine.api['people.name']({ faceIds: [rejected], person: 'Bea' });
  assert.deepEqual(await listed(), [[splitOff]], 'a named face is not listed');
  await engine.api['people.undo']({});
  assert.deepEqual((await listed()).flat().sort(), [rejected, splitOff].sort());

  // Undoing the split and the "not Ann" takes each off the list.
  await engine.api['people.undo']({});
  assert.deepEqual(await listed(), [[rejected]], 'the split undone');
  await engine.api['people.undo']({});
  assert.deepEqual(await listed(), [], 'the "not Ann" undone');
  // Nothing listed apart is also in the unnamed groups.
  const inGroups = new Set((await engine.api['people.groups']({})).flatMap((g) => g.faceIds));
  assert.ok(!inGroups.has(rejected));
});
