/**
 * A notice's Undo names its edit ([Note: a notice undoes its own edit]): every undoable edit's reply
 * carries its undo-log entry, and `people.undo` with `expect` refuses, changing nothing, when another
 * process (a second window, a web tab, the CLI) made a change since. Two engines on one catalog file.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { UserError } from '../../main/api/contract';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from './people-fixture';

/** A catalog of `people` × `each` real faces, one photo each; its face ids in order. */
async function facesCatalog(t: TestContext, people: number, each: number) {
  const cat = tempCatalog(t);
  const ids: number[] = [];
  for (const f of await realFaces(people, each)) ids.push(cat.photo([f]).faceIds[0]!);
  return { cat, ids };
}

/** An engine on the catalog file, closed when the test ends. */
function engineOn(t: TestContext, file: string) {
  const engine = openEngine({ dbPath: file });
  t.after(() => engine.close());
  return engine;
}

test("an Undo that names its edit is refused once another process's edit is the latest", async (t) => {
  const { cat, ids } = await facesCatalog(t, 3, 3);
  const window = engineOn(t, cat.file);
  const cli = engineOn(t, cat.file);

  const named = await window.api['people.name']({ faceIds: [ids[0]!], person: 'Ann' });
  assert.equal(typeof named.undoId, 'number', 'a naming reply names its undo entry');
  const renamed = await cli.api['people.rename']({ person: 'Ann', name: 'Anna' });
  assert.ok(renamed.undoId! > named.undoId!, 'the later edit has a later entry');

  // The window's notice still offers "Undo: Named 1 face as Ann"; the latest change is the CLI's rename.
  await assert.rejects(
    () => window.api['people.undo']({ expect: named.undoId! }),
    (err: unknown) => err instanceof UserError && err.code === 'conflict' && err.say?.key === 'err.notLatest',
  );
  assert.deepEqual(
    (await window.api['people.list']({})).map((p) => p.name),
    ['Anna'],
    'a refused undo changed something',
  );
  const history = await window.api['people.history']({ limit: 5 });
  assert.deepEqual(
    history.map((h) => h.undone),
    [false, false],
  );

  // The rename's own Undo (expecting it) works, and then the naming's.
  const undone = await window.api['people.undo']({ expect: renamed.undoId! });
  assert.match(undone.undone?.summary ?? '', /Renamed Ann to Anna/);
  const undoneName = await window.api['people.undo']({ expect: named.undoId! });
  assert.match(undoneName.undone?.summary ?? '', /Ann/);
  assert.deepEqual(await window.api['people.list']({}), []);
  // Nothing left: an Undo naming an edit already undone is refused, not "nothing to undo".
  await assert.rejects(() => window.api['people.undo']({ expect: named.undoId! }), /no longer the latest/);
  // Without `expect` (the sidebar, Ctrl+Z, `visage undo`): the latest, whatever it is.
  assert.equal((await window.api['people.undo']({})).undone, null);
});

test('every undoable edit says which undo entry it wrote', async (t) => {
  const { cat, ids } = await facesCatalog(t, 3, 4);
  const engine = engineOn(t, cat.file);
  const api = engine.api;
  const replies = [
    await api['people.name']({ faceIds: [ids[0]!, ids[1]!], person: 'Ann' }),
    await api['people.name']({ faceIds: [ids[4]!], person: 'Ben' }),
    await api['people.rename']({ person: 'Ben', name: 'Benny' }),
    await api['people.hide']({ person: 'Benny', hidden: true }),
    await api['people.merge']({ from: 'Benny', into: 'Ann' }),
    await api['people.reject']({ faceId: ids[1]!, person: 'Ann' }),
    await api['people.split']({ faceIds: [ids[4]!] }),
    await api['people.deleteFace']({ faceId: ids[11]! }),
  ];
  const history = await api['people.history']({ limit: 20 });
  assert.deepEqual(
    replies.map((r) => r.undoId),
    history.map((h) => h.id).reverse(),
    'each reply names the entry its edit wrote, in order',
  );
});

test('"No" to a question about several faces is one edit: one Undo takes the whole answer back', async (t) => {
  const { cat, ids } = await facesCatalog(t, 2, 4);
  const engine = engineOn(t, cat.file);
  const api = engine.api;
  await api['people.name']({ faceIds: [ids[0]!], person: 'Ann' });
  const before = (await api['people.history']({ limit: 10 })).length;
  const no = await api['people.reject']({ faceIds: [ids[4]!, ids[5]!], person: 'Ann' });
  assert.equal(no.message.key, 'edit.rejectedMany');
  assert.equal((await api['people.history']({ limit: 10 })).length, before + 1, 'one answer, one entry');
  const rejected = () => cat.db.prepare('SELECT COUNT(*) AS n FROM rejections').get() as { n: number };
  assert.equal(rejected().n, 2);
  await api['people.undo']({ expect: no.undoId! });
  assert.equal(rejected().n, 0, 'one Undo took back both faces');
  await assert.rejects(() => api['people.reject']({ person: 'Ann' }), /faceId or faceIds/);
});
