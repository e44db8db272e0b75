/**
 * Renaming a person to another person's name, in the people rune class against a real engine with real
 * faces: the rename is not sent (the name is taken), the other person is offered for a merge, and the
 * merge keeps the one with more confirmed faces under the typed name, undoable. Who a person is now
 * (`current`, which People's "Named …" card shows) follows a merge, and is no one once the naming is undone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from '../integration/people-fixture';
import { importState, install } from '../support/svelte-runes';

interface Person {
  id: number;
  name: string;
  faces: number;
}
interface PeopleLike {
  list: Person[];
  refresh(): Promise<void>;
  nameFaces(faceIds: number[], person: string): Promise<unknown>;
  rename(person: number, name: string): Promise<{ taken: Person } | { renamed: Person } | null>;
  mergeAs(person: Person, other: Person): Promise<number | null>;
  merge(from: number, into: number): Promise<unknown>;
  current(id: number): Person | null;
  undo(): Promise<void>;
}
interface NoticesLike {
  items: { text: string | (() => string) }[];
}
const worded = (text: string | (() => string)) => (typeof text === 'function' ? text() : text);

test('a rename to a taken name offers the merge; the merge keeps the larger person under that name', async (t) => {
  const cat = tempCatalog(t);
  const byLabel = new Map<string, number[]>();
  for (const f of await realFaces(2, 4)) {
    const id = cat.photo([f]).faceIds[0]!;
    byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), id]);
  }
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  install(engine.api);
  const { people } = await importState<{ people: PeopleLike }>('people');
  const { notices } = await importState<{ notices: NoticesLike }>('notices');
  const [a, b] = [...byLabel.values()];
  await people.nameFaces(a!.slice(0, 3), 'Barack');
  await people.nameFaces(b!.slice(0, 1), 'Obama');
  const barack = people.list.find((p) => p.name === 'Barack')!;
  const obama = people.list.find((p) => p.name === 'Obama')!;

  // Typed in another case: still Obama's name. Nothing is renamed; Obama is offered.
  const res = await people.rename(barack.id, ' obama ');
  assert.deepEqual(res, { taken: obama });
  assert.deepEqual(
    people.list.map((p) => p.name),
    ['Barack', 'Obama'],
  );
  // Barack has more confirmed faces: he is kept, with Obama's faces, under the name Obama.
  assert.equal(await people.mergeAs(barack, obama), barack.id);
  assert.deepEqual(
    people.list.map((p) => [p.id, p.name, p.faces]),
    [[barack.id, 'Obama', 4]],
  );
  assert.equal(
    worded(notices.items.at(-1)?.text ?? ''),
    'Merged Obama into Barack (1 face), now named Obama',
  );
  await people.undo();
  assert.deepEqual(
    people.list.map((p) => [p.name, p.faces]),
    [
      ['Barack', 3],
      ['Obama', 1],
    ],
  );
  // The other way round (Obama, the smaller, renamed "Barack"): Barack is kept as he is.
  const back = people.list.find((p) => p.name === 'Obama')!;
  const res2 = await people.rename(back.id, 'Barack');
  assert.ok(res2 && 'taken' in res2);
  assert.equal(await people.mergeAs(back, res2.taken), barack.id);
  assert.deepEqual(
    people.list.map((p) => [p.id, p.name, p.faces]),
    [[barack.id, 'Barack', 4]],
  );

  // "Named Old man" follows Old man into Barack, back on the merge's undo, and is gone with the naming.
  await people.nameFaces(b!.slice(1, 2), 'Old man');
  const oldMan = people.list.find((p) => p.name === 'Old man')!;
  assert.equal(people.current(oldMan.id)?.name, 'Old man');
  await people.merge(oldMan.id, barack.id);
  assert.equal(people.current(oldMan.id)?.name, 'Barack', 'the merge is followed');
  await people.undo();
  assert.equal(people.current(oldMan.id)?.name, 'Old man', 'the merge undone');
  await people.undo();
  assert.equal(people.current(oldMan.id), null, 'the naming undone: no one');
});
