import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openEngine } from '../../main/engine/engine';
import { face, repoRoot } from '../support/paths';
import { tempDir } from '../support/temp';

function library(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const lib = path.join(dir, 'photos');
  mkdirSync(lib);
  return { dir, lib, db: path.join(dir, 'catalog.db') };
}

test('index through the contract: faces stored, bad files recorded with reasons, nothing stops the scan', async (t) => {
  const { lib, db } = library(t);
  copyFileSync(face('face_recognition/examples/two_people.jpg'), path.join(lib, 'two.jpg'));
  copyFileSync(face('dlib_faces/2008_002506.jpg'), path.join(lib, 'group.jpg'));
  writeFileSync(path.join(lib, 'empty.jpg'), '');
  writeFileSync(path.join(lib, 'text.jpg'), 'this is not an image at all');
  const engine = openEngine({ dbPath: db });
  t.after(() => engine.close());
  await assert.rejects(engine.api['library.addFolder']({ path: path.join(lib, 'nope') }), /Folder not found/);
  await engine.api['library.addFolder']({ path: lib, index: false });
  const summary = await engine.api['library.rescan']({ wait: true });
  assert.equal(summary.state, 'done');
  assert.equal(summary.scan.added, 4);
  const status = await engine.api['library.status']({});
  assert.equal(status.photos.done, 2);
  assert.equal(status.photos.failed, 2);
  assert.ok(status.vision.workers >= 1 && status.vision.ortThreads >= 1, 'the vision plan is shown');
  assert.deepEqual(
    status.models.map((m) => m.role),
    ['detector', 'landmarks', 'embedder'],
  );
  const reasons = Object.fromEntries(status.errors.map((e) => [path.basename(e.path), e.error]));
  assert.match(reasons['empty.jpg']!, /empty/);
  assert.match(reasons['text.jpg']!, /not a recognised image format/);
  const faces = await engine.api['library.faces']({ embeddings: true });
  const two = faces.items.filter((f) => f.photoPath.endsWith('two.jpg'));
  assert.equal(two.length, 2, 'both faces of two_people.jpg');
  assert.equal(two[0]!.embedding!.length, 512);
  const again = await engine.api['library.rescan']({ wait: true });
  assert.equal(again.scan.unchanged, 4);
  assert.equal(again.indexed, 0, 'a second run redoes nothing');
});

test('a killed indexing run resumes without redoing finished photos', async (t) => {
  const { lib, db } = library(t);
  const sources = [
    '2007_007763.jpg',
    '2008_001009.jpg',
    '2008_001322.jpg',
    '2008_002079.jpg',
    '2008_002470.jpg',
  ];
  for (let copy = 0; copy < 4; copy++) {
    for (const s of sources) copyFileSync(face('dlib_faces', s), path.join(lib, `${copy}-${s}`));
  }
  const cli = path.join(repoRoot, 'main/cli/bin.mjs');
  // Start indexing in a child process and kill it hard once some photos are done.
  const child = spawn(process.execPath, [cli, '--db', db, 'index', lib], { stdio: 'ignore' });
  const probe = (): number => {
    try {
      const d = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return (d.prepare("SELECT COUNT(*) AS n FROM photos WHERE status = 'done'").get() as { n: number }).n;
      } finally {
        d.close();
      }
    } catch {
      return 0;
    }
  };
  const deadline = Date.now() + 60_000;
  while (probe() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const d = new Database(db);
  const before = d.prepare("SELECT id, indexed_at FROM photos WHERE status = 'done'").all() as {
    id: number;
    indexed_at: number;
  }[];
  d.close();
  assert.ok(before.length >= 3 && before.length < 20, `killed mid-run (${before.length} done)`);

  const engine = openEngine({ dbPath: db });
  t.after(() => engine.close());
  const summary = await engine.api['library.rescan']({ wait: true });
  assert.equal(summary.indexed, 20 - before.length, 'only the unfinished photos are analysed');
  const after = new Database(db, { readonly: true });
  for (const b of before) {
    const row = after.prepare('SELECT indexed_at FROM photos WHERE id = ?').get(b.id) as {
      indexed_at: number;
    };
    assert.equal(row.indexed_at, b.indexed_at, 'finished photos are not redone');
  }
  after.close();
});

test('a broken install (model missing) stops the run with the fix named, and loses nothing', async (t) => {
  const { dir, lib, db } = library(t);
  for (const s of ['2007_007763.jpg', '2008_001009.jpg', '2008_001322.jpg', '2008_002079.jpg']) {
    copyFileSync(face('dlib_faces', s), path.join(lib, s));
  }
  const saved = process.env.VISAGE_MODELS_DIR;
  process.env.VISAGE_MODELS_DIR = path.join(dir, 'no-models');
  t.after(() => {
    if (saved === undefined) delete process.env.VISAGE_MODELS_DIR;
    else process.env.VISAGE_MODELS_DIR = saved;
  });
  const engine = openEngine({ dbPath: db });
  t.after(() => engine.close());
  await engine.api['library.addFolder']({ path: lib, index: false });
  const summary = await engine.api['library.rescan']({ wait: true });
  assert.equal(summary.state, 'failed');
  assert.match(summary.scan.problems.at(-1)!.error, /missing.*npm install/s);
  const status = await engine.api['library.status']({});
  assert.equal(status.photos.pending, 4, 'the photos wait for the fix instead of being marked failed');
  const [progress] = (await engine.api['jobs.status']({})).filter((p) => p.job === 'index');
  assert.equal(progress!.state, 'failed');
});
