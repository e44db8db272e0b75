/**
 * A face split off on its own must not vanish: the people rune class against a real engine with real
 * faces. A split whose result is too small to be listed among the unnamed groups (minimum group size 2)
 * is kept in `loose`, a notice says where it went with a link, and naming it there names the face. A face
 * marked "not this person" is listed there too. The toasts of naming, "not this person" and its undo read
 * as sentences.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from '../integration/people-fixture';
import { importState, install } from '../support/svelte-runes';

interface Group {
  id: number;
  size: number;
  faceIds: number[];
}
interface PeopleLike {
  list: { name: string; faces: number }[];
  groups: Group[];
  loose: Group[];
  refresh(): Promise<void>;
  split(faceIds: number[], name?: string): Promise<unknown>;
  nameLoose(loose: Group, person: string): Promise<unknown>;
  undo(): Promise<void>;
  reject(faceId: number, person: string): Promise<unknown>;
}
interface NoticesLike {
  items: { text: string | (() => string); action?: { label: string | (() => string) } }[];
}
const worded = (text: string | (() => string)) => (typeof text === 'function' ? text() : text);

test('a face split off on its own is listed apart, announced with a link, and can be named', async (t) => {
  const cat = tempCatalog(t);
  for (const f of await realFaces(3, 5)) cat.photo([f]);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  install(engine.api);
  const { people } = await importState<{ people: PeopleLike }>('people');
  const { notices } = await importState<{ notices: NoticesLike }>('notices');
  await engine.api['people.cluster']({ full: true });
  await people.refresh();
  const group = people.groups.find((g) => g.size >= 3);
  assert.ok(group, `a group of 3 or more faces: ${JSON.stringify(people.groups)}`);
  const face = group.faceIds[0]!;

  assert.notEqual(await people.split([face]), null);
  assert.ok(!people.groups.some((g) => g.faceIds.includes(face)), 'a single face is not a listed group');
  assert.deepEqual(
    people.loose.map((l) => l.faceIds),
    [[face]],
    'the face split off is listed apart',
  );
  const said = notices.items.at(-1);
  assert.match(worded(said?.text ?? ''), /^1 face is now on its own/);
  assert.equal(worded(said?.action?.label ?? ''), 'Show it');

  // Undo puts it back in its group: no longer listed apart, and no notice still says it is on its own
  // with a "Show it" that leads nowhere.
  await people.undo();
  assert.ok(people.groups.some((g) => g.faceIds.includes(face)));
  assert.deepEqual(people.loose, []);
  assert.deepEqual(
    notices.items.map((n) => worded(n.text)).filter((s) => /on its own/.test(s)),
    [],
    'the split notice is gone once the split is undone',
  );

  await people.split([face]);
  assert.notEqual(await people.nameLoose(people.loose[0]!, 'Solo'), null);
  assert.deepEqual(people.loose, []);
  assert.deepEqual(
    people.list.filter((p) => p.name === 'Solo').map((p) => p.faces),
    [1],
  );
  const lastSaid = () => worded(notices.items.at(-1)?.text ?? '');
  assert.equal(lastSaid(), 'Named a face as Solo');
  // "Not Solo" on her one face: it does not leave People, it is listed apart like a face split off.
  await people.reject(face, 'Solo');
  assert.equal(
    lastSaid(),
    'Marked a face as not Solo: it is on its own in People now (under “Split off just now”), to be named there',
  );
  // (`as`: an earlier deepEqual narrowed `loose` to an empty array.)
  assert.deepEqual(
    (people.loose as Group[]).map((l) => l.faceIds),
    [[face]],
    'the rejected face is listed apart',
  );
  await people.undo();
  assert.deepEqual(people.loose, [], 'undone, it is Solo’s again, not listed apart');
  assert.equal(
    lastSaid(),
    'Undone: the face is no longer marked as not Solo and may be suggested as Solo again',
  );
  await people.undo();
  assert.equal(lastSaid(), 'Undone: Named a face as Solo');
  // Its naming undone, the face is on its own again: listed apart once more, not gone from People.
  assert.deepEqual(
    (people.loose as Group[]).map((l) => l.faceIds),
    [[face]],
  );
});
