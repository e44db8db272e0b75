/**
 * What an edit re-reads (renderer/src/lib/state/people.svelte.ts), against a real engine on a temporary
 * catalog: only what it can change. Edits of names leave the library alone (its reads count every photo,
 * and kept the one serving thread from answering the next edit at library scale), a rename leaves the
 * unnamed groups alone too, and the people list and open pages as well (it patches them from its reply:
 * those reads held the next edit back while a re-group ran at library scale); an edit that deletes a face
 * (the library's face counts change) re-reads the library.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { embeddingToBlob } from '../../main/engine/catalog/embedding-blob';
import { openEngine } from '../../main/engine/engine';
import { importState, install } from '../support/svelte-runes';

interface PeopleLike {
  list: { id: number; name: string }[];
  revision: number;
  nameFaces(faceIds: number[], person: string): Promise<unknown>;
  rename(person: string, name: string): Promise<unknown>;
  deleteFace(faceId: number): Promise<unknown>;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-renderer-edit-reads-'));
const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every request the renderer makes, by name, in order. */
const asked: string[] = [];
const api = engine.api as unknown as Record<string, unknown>;
install(
  new Proxy(api, {
    get(target, key) {
      const v = Reflect.get(target, key) as unknown;
      if (typeof key !== 'string' || typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (key !== 'on') asked.push(key);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }),
);
const { people } = await importState<{ people: PeopleLike }>('people');

/** Two faces on one photo, written as indexing would leave them. */
function twoFaces(): number[] {
  const db = engine.context.db;
  const folder = Number(
    db.prepare('INSERT INTO folders (path, added_at) VALUES (?, 1)').run(path.join(dir, 'lib'))
      .lastInsertRowid,
  );
  const photo = Number(
    db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, width, height, status, created_at)
         VALUES (?, ?, 1, 1, 400, 200, 'done', 1)`,
      )
      .run(folder, path.join(dir, 'lib', 'a.jpg')).lastInsertRowid,
  );
  return [0, 1].map((i) => {
    const e = new Float32Array(512);
    e[i] = 1;
    return Number(
      db
        .prepare(
          `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
             quality_pose, embedding, model_id, created_at)
           VALUES (?, ?, 10, 100, 100, '[]', 0.99, 0.9, 100, 100, 0.1, ?, 'test', 1)`,
        )
        .run(photo, 200 * i, embeddingToBlob(e)).lastInsertRowid,
    );
  });
}

const faces = twoFaces();

const { notices, worded } = await import('../../renderer/src/lib/state/notices.svelte');
/** The action of the notice whose text matches. */
function undoOf(text: RegExp) {
  const n = notices.items.find((x) => text.test(worded(x.text)));
  assert.ok(n?.action, `no notice with an action for ${text}`);
  return n.action;
}
/** Whether a notice's action is still offered. */
const offered = (action: { available?: () => boolean }) => (action.available ? action.available() : true);

test('naming faces re-reads the people views and the unnamed groups, not the library', async () => {
  assert.ok(await people.nameFaces([faces[0]!], 'Ann'));
  assert.ok(
    asked.includes('people.list') && asked.includes('people.groups') && asked.includes('people.history'),
  );
  assert.deepEqual(
    asked.filter((n) => n.startsWith('library.')),
    [],
  );
});

test('a rename reads only the history: the list is patched in place, in the engine order', async () => {
  assert.ok(await people.nameFaces([faces[1]!], 'bob'));
  asked.length = 0;
  const revision = people.revision;
  assert.ok(await people.rename('Ann', 'Zoë'), 'the rename went through');
  assert.deepEqual(asked, ['people.rename', 'people.history']);
  assert.equal(people.revision, revision, 'open pages are not reloaded (they take the name from the reply)');
  const engineList = await engine.api['people.list']({ includeHidden: false });
  assert.deepEqual(
    people.list.map((p) => p.name),
    engineList.map((p) => p.name),
  );
  assert.deepEqual(
    people.list.map((p) => p.name),
    ['bob', 'Zoë'],
  );
  // Upper-case letters sort as their lower-case ones (the engine's NOCASE), not before every lower-case one.
  assert.ok(await people.rename('bob', 'Zed'));
  assert.ok(await people.rename('Zoë', 'adam'));
  assert.deepEqual(
    people.list.map((p) => p.name),
    (await engine.api['people.list']({ includeHidden: false })).map((p) => p.name),
  );
  assert.deepEqual(
    people.list.map((p) => p.name),
    ['adam', 'Zed'],
  );
});

test('deleting a face re-reads the library (its face counts changed)', async () => {
  asked.length = 0;
  assert.ok(await people.deleteFace(faces[1]!), 'the face was deleted');
  assert.ok(asked.includes('library.photos') && asked.includes('library.status'));
});

test("a notice's Undo undoes its own edit or is gone: never another change", async () => {
  assert.ok(await people.rename('adam', 'Ada'));
  assert.ok(await people.rename('Zed', 'Zeb'));
  const first = undoOf(/Ada/);
  const second = undoOf(/Zeb/);
  assert.equal(offered(first), false, 'an older edit still offers Undo');
  assert.equal(offered(second), true);
  asked.length = 0;
  await first.run();
  assert.deepEqual(asked, [], 'the older notice undid something');
  await second.run();
  assert.equal(asked.filter((n) => n === 'people.undo').length, 1);
  assert.deepEqual(
    people.list.map((p) => p.name),
    ['Ada', 'Zed'],
    'the newest rename (and only it) was undone',
  );
  // After an undo no notice offers Undo: the next change back is not the one any of them names.
  assert.equal(offered(second), false);
  assert.equal(offered(first), false);
});

test("Review's answers count as edits: an older notice loses its Undo, and Review's own Undo names its confirmation", async () => {
  const { review } = await importState<{
    review: { queue: unknown[]; confirmSure(): Promise<void>; yes(): Promise<void> };
  }>('review');
  // A face of its own photo, unnamed: what Review asks about.
  const db = engine.context.db;
  const photo = Number(
    db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, width, height, status, created_at)
         VALUES (1, ?, 1, 1, 400, 200, 'done', 1)`,
      )
      .run(path.join(dir, 'lib', 'b.jpg')).lastInsertRowid,
  );
  const e = new Float32Array(512);
  e[2] = 1;
  const face = Number(
    db
      .prepare(
        `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
           quality_pose, embedding, model_id, created_at)
         VALUES (?, 10, 10, 100, 100, '[]', 0.99, 0.9, 100, 100, 0.1, ?, 'test', 1)`,
      )
      .run(photo, embeddingToBlob(e)).lastInsertRowid,
  );
  assert.ok(await people.rename('Ada', 'Adele'));
  const renamed = undoOf(/Adele/);
  assert.equal(offered(renamed), true);
  const adele = people.list.find((p) => p.name === 'Adele')!;
  const question = {
    faceId: face,
    faceIds: [face],
    group: null,
    photoId: photo,
    photoPath: path.join(dir, 'lib', 'b.jpg'),
    box: { x: 10, y: 10, w: 100, h: 100 },
    person: { id: adele.id, name: adele.name },
    confidence: 0.97,
    margin: 0.5,
    tier: 'sure',
  };
  review.queue = [question];
  await review.confirmSure();
  assert.equal(
    offered(renamed),
    false,
    "the rename's notice still offers Undo after Review confirmed a face",
  );
  const confirmed = undoOf(/Confirmed/);
  assert.equal(offered(confirmed), true);
  asked.length = 0;
  await renamed.run();
  assert.deepEqual(asked, [], "the rename's notice undid Review's confirmation");
  await confirmed.run();
  assert.equal(asked.filter((n) => n === 'people.undo').length, 1);
  const history = await engine.api['people.history']({ limit: 1 });
  assert.equal(history[0]!.op, 'confirm', 'the confirmation was the change undone');
});

test('an undo from anywhere reads the review queue again (an undone answer reopens its question)', async () => {
  const { review } = await importState<{ review: { load(): Promise<void> } }>('review');
  const { people: state } = await importState<{ people: PeopleLike & { undo(): Promise<void> } }>('people');
  await review.load();
  assert.ok(await state.rename('Adele', 'Adela'));
  asked.length = 0;
  await state.undo();
  assert.ok(asked.includes('people.undo'));
  assert.ok(asked.includes('people.suggestions'), 'Review kept the queue it had before the undo');
});

test("a notice's Undo is refused, changing nothing, when another window or the CLI changed something since", async () => {
  assert.ok(await people.rename('Adele', 'Adelaide'));
  const mine = undoOf(/Adelaide/);
  assert.equal(offered(mine), true, 'this window saw no later edit');
  // Another process (a second window, the CLI) renames Zed on the same catalog: this window does not know.
  const elsewhere = await engine.api['people.rename']({ person: 'Zed', name: 'Zack' });
  notices.items.length = 0;
  await mine.run();
  assert.deepEqual(
    (await engine.api['people.list']({ includeHidden: false })).map((p) => p.name).sort(),
    ['Adelaide', 'Zack'],
    "the notice's Undo took back another process's rename",
  );
  const said = notices.items.map((n) => worded(n.text)).join(' | ');
  assert.match(said, /no longer the latest/, `the refusal was not said: ${said}`);
  // The other change is still undoable from the sidebar (no `expect`).
  assert.equal((await engine.api['people.history']({ limit: 1 }))[0]!.id, elsewhere.undoId);
});

test('the sidebar Undo and Ctrl+Z take back the change the sidebar names, never a later one from elsewhere', async () => {
  const { people: state } = await importState<{
    people: PeopleLike & { undoShown(): Promise<void>; history: { id: number; undone: boolean }[] };
  }>('people');
  assert.ok(await state.rename('Adelaide', 'Ada Lovelace'));
  const shown = state.history.find((e) => !e.undone)!;
  // Another tab renames Zack; this window's sidebar still names its own rename.
  const elsewhere = await engine.api['people.rename']({ person: 'Zack', name: 'Zachary' });
  await state.undoShown();
  const names = async () =>
    (await engine.api['people.list']({ includeHidden: false })).map((p) => p.name).sort();
  assert.deepEqual(
    await names(),
    ['Ada Lovelace', 'Zachary'],
    "the sidebar's Undo took back another tab's rename",
  );
  // The refusal read the history again: the sidebar now names the other tab's rename, and undoes just it.
  assert.equal(state.history.find((e) => !e.undone)!.id, elsewhere.undoId);
  assert.notEqual(elsewhere.undoId, shown.id);
  await state.undoShown();
  assert.deepEqual(await names(), ['Ada Lovelace', 'Zack']);
});

test('a chance is cut, not rounded: never shown at a level it did not reach', async () => {
  const { i18n } = await import('../../renderer/src/lib/i18n/i18n.svelte');
  const { confidenceLevels } = await import('../../main/api/confidence-levels');
  i18n.setLanguage('en');
  assert.equal(i18n.chance(0.9496), '94.9%', 'a not-sure chance read as the sure level');
  assert.equal(i18n.chance(confidenceLevels.sure), '95%');
  assert.equal(i18n.chance(0.9655), '96.5%');
  assert.equal(i18n.chance(0.99996), '99.9%', 'a calibrated guess read as certain');
  assert.equal(i18n.chance(1), '100%');
});

test('an undone "not X" says what is true now: theirs again, or suggestible again', async () => {
  const { undoneText } = await importState<{
    undoneText: (u: {
      summary: string;
      message: { key: string; params: Record<string, string | number> };
    }) => string;
  }>('people');
  const of = (key: string, params: Record<string, string | number>) =>
    undoneText({ summary: '', message: { key, params } });
  assert.equal(of('edit.rejectedApart', { name: 'Al' }), 'Undone: the face is Al again');
  assert.match(of('edit.rejected', { name: 'Al' }), /may be suggested as Al again/);
  assert.match(of('edit.rejectedMany', { name: 'Al', n: 2 }), /the 2 faces are no longer marked as not Al/);
});
