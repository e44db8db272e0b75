/**
 * A face split off on its own must not vanish: the people rune classes against a real engine with real
 * faces. A split whose result is too small to be listed among the unnamed groups (minimum group size 2)
 * is listed with the faces set apart ([Note: faces set apart]), a notice says where it went with a link,
 * and naming it there names the face. A face marked "not this person" is listed there too, and still is
 * after a reload (the list comes from the engine, not from the session). The toasts of naming, "not this
 * person" and its undo read as sentences.
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
  refresh(): Promise<void>;
  split(faceIds: number[], name?: string): Promise<unknown>;
  nameFaces(faceIds: number[], person: string): Promise<unknown>;
  undo(): Promise<void>;
  reject(faceId: number, person: string): Promise<unknown>;
}
interface SetApartLike {
  groups: Group[];
  show(groups: Group[]): void;
}
interface NoticesLike {
  items: { text: string | (() => string); action?: { label: string | (() => string) } }[];
}
const worded = (text: string | (() => string)) => (typeof text === 'function' ? text() : text);

test('a face split off on its own is listed apart, announced with a link, and can be named', async (t) => {
  const cat = tempCatalog(t);
  for (const f of await realFaces(3, 5)) cat.photo([f]);
  let engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  // The app's API as the page sees it, over whichever engine is running (one is restarted below).
  install(
    new Proxy(
      {},
      {
        get: (_t, name) => {
          const v = (engine.api as unknown as Record<string | symbol, unknown>)[name];
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(engine.api) : v;
        },
      },
    ),
  );
  const { people } = await importState<{ people: PeopleLike }>('people');
  const { setApart } = await importState<{ setApart: SetApartLike }>('set-apart');
  const loose = () => setApart.groups;
  const { notices } = await importState<{ notices: NoticesLike }>('notices');
  await engine.api['people.cluster']({ full: true });
  await people.refresh();
  const group = people.groups.find((g) => g.size >= 3);
  assert.ok(group, `a group of 3 or more faces: ${JSON.stringify(people.groups)}`);
  const face = group.faceIds[0]!;

  assert.notEqual(await people.split([face]), null);
  assert.ok(!people.groups.some((g) => g.faceIds.includes(face)), 'a single face is not a listed group');
  assert.deepEqual(
    loose().map((l) => l.faceIds),
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
  assert.deepEqual(loose(), []);
  assert.deepEqual(
    notices.items.map((n) => worded(n.text)).filter((s) => /on its own/.test(s)),
    [],
    'the split notice is gone once the split is undone',
  );

  await people.split([face]);
  assert.notEqual(await people.nameFaces(loose()[0]!.faceIds, 'Solo'), null);
  assert.deepEqual(loose(), []);
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
    'Marked a face as not Solo: it is on its own in People now (under “Set apart”), to be named there',
  );
  assert.deepEqual(
    loose().map((l) => l.faceIds),
    [[face]],
    'the rejected face is listed apart',
  );
  // A reload (the engine restarted, the page's lists read afresh) still lists it apart.
  await engine.close();
  engine = openEngine({ dbPath: cat.file });
  setApart.show([]);
  await people.refresh();
  assert.deepEqual(
    loose().map((l) => l.faceIds),
    [[face]],
    'the rejected face is listed apart after a reload',
  );
  await people.undo();
  assert.deepEqual(loose(), [], 'undone, it is Solo’s again, not listed apart');
  // The face was Solo's own (confirmed): undone, it is Solo's again, and the words say so.
  assert.equal(lastSaid(), 'Undone: the face is Solo again');
  await people.undo();
  assert.equal(lastSaid(), 'Undone: Named a face as Solo');
  // Its naming undone, the face is on its own again: listed apart once more, not gone from People.
  assert.deepEqual(
    loose().map((l) => l.faceIds),
    [[face]],
  );
});
