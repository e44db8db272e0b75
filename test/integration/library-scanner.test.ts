import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../main/engine/catalog/database';
import { FoldersRepo } from '../../main/engine/catalog/folders-repo';
import { PhotosRepo } from '../../main/engine/catalog/photos-repo';
import { ScanProblemsRepo } from '../../main/engine/catalog/scan-problems-repo';
import { SkippedFilesRepo } from '../../main/engine/catalog/skipped-files-repo';
import { Scanner } from '../../main/engine/library/scanner';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const lib = path.join(dir, 'photos');
  mkdirSync(path.join(lib, 'sub'), { recursive: true });
  const db = openDatabase(path.join(dir, 'catalog.db'));
  t.after(() => db.close());
  const folders = new FoldersRepo(db);
  const photos = new PhotosRepo(db);
  const folder = folders.add(lib);
  return {
    lib,
    db,
    folders,
    photos,
    folder,
    scanner: new Scanner(db, folders, photos, new ScanProblemsRepo(db), new SkippedFilesRepo(db)),
  };
}

test('scan finds images recursively, ignores other files and hidden folders', async (t) => {
  const { lib, scanner, folder, photos } = setup(t);
  copyFileSync(face('face_recognition/examples/biden.jpg'), path.join(lib, 'biden.jpg'));
  copyFileSync(face('face_recognition/examples/obama.jpg'), path.join(lib, 'sub', 'Obama ünïcode name.JPG'));
  writeFileSync(path.join(lib, 'notes.txt'), 'not a photo');
  mkdirSync(path.join(lib, '.thumbnails'));
  copyFileSync(face('face_recognition/examples/biden.jpg'), path.join(lib, '.thumbnails', 'x.jpg'));
  const r = await scanner.scanFolder(folder.id);
  assert.equal(r.added, 2);
  assert.deepEqual(
    photos
      .inFolder(folder.id)
      .map((p) => path.basename(p.path))
      .sort(),
    ['Obama ünïcode name.JPG', 'biden.jpg'],
  );
  assert.ok(photos.inFolder(folder.id).every((p) => p.status === 'pending' && p.hash?.length === 64));
});

test('files that are not photos are listed as skipped (not companions), and a re-scan replaces the list', async (t) => {
  const { lib, scanner, folder, db } = setup(t);
  copyFileSync(face('face_recognition/examples/biden.jpg'), path.join(lib, 'biden.jpg'));
  writeFileSync(path.join(lib, 'notes.txt'), 'not a photo');
  writeFileSync(path.join(lib, 'sub', 'clip.mp4'), 'a video');
  writeFileSync(path.join(lib, 'biden.jpg.xmp'), '<x:xmpmeta/>');
  writeFileSync(path.join(lib, 'Thumbs.db'), 'cache');
  writeFileSync(path.join(lib, '.hidden.txt'), 'hidden');
  for (let i = 0; i < 30; i++)
    writeFileSync(path.join(lib, 'sub', `page-${String(i).padStart(2, '0')}.pdf`), '%PDF');
  const skipped = new SkippedFilesRepo(db);
  await scanner.scanFolder(folder.id);
  const listed = skipped.sample(5);
  assert.equal(
    listed.total,
    32,
    'notes.txt, clip.mp4 and 30 PDFs; not the sidecar, Thumbs.db or a hidden file',
  );
  assert.equal(listed.paths.length, 5, 'only a few are named');
  assert.ok(listed.paths.includes(path.join(lib, 'notes.txt')));
  rmSync(path.join(lib, 'notes.txt'));
  rmSync(path.join(lib, 'sub'), { recursive: true });
  await scanner.scanFolder(folder.id);
  assert.deepEqual(skipped.sample(5), { total: 0, paths: [] });
});

test('re-scan: unchanged, changed, moved (keeps the row), deleted (kept as missing), restored', async (t) => {
  const { lib, scanner, folder, photos } = setup(t);
  const a = path.join(lib, 'a.jpg');
  const b = path.join(lib, 'b.jpg');
  copyFileSync(face('face_recognition/examples/biden.jpg'), a);
  copyFileSync(face('face_recognition/examples/obama.jpg'), b);
  await scanner.scanFolder(folder.id);
  const idA = photos.byPath(a)!.id;
  const idB = photos.byPath(b)!.id;

  assert.equal((await scanner.scanFolder(folder.id)).unchanged, 2);

  // changed content → pending again; same id
  copyFileSync(face('face_recognition/examples/obama2.jpg'), b);
  utimesSync(b, new Date(), new Date(Date.now() + 5000));
  // moved a → sub/renamed.jpg
  const moved = path.join(lib, 'sub', 'renamed.jpg');
  renameSync(a, moved);
  const r = await scanner.scanFolder(folder.id);
  assert.equal(r.changed, 1);
  assert.equal(r.moved, 1);
  assert.equal(r.added, 0);
  assert.equal(photos.byPath(moved)!.id, idA, 'a moved file keeps its row (and with it faces and labels)');
  assert.equal(photos.get(idB)!.status, 'pending');

  rmSync(moved);
  const r2 = await scanner.scanFolder(folder.id);
  assert.equal(r2.missing, 1);
  assert.equal(photos.get(idA)!.status, 'missing', 'deleted files are kept as missing, never dropped');

  copyFileSync(face('face_recognition/examples/biden.jpg'), moved);
  const r3 = await scanner.scanFolder(folder.id);
  assert.equal(r3.moved + r3.restored, 1);
  assert.equal(photos.byPath(moved)!.id, idA);
  assert.notEqual(photos.get(idA)!.status, 'missing');
});

test('symlink loops and links to the same file do not hang or duplicate', async (t) => {
  const { lib, scanner, folder, photos } = setup(t);
  copyFileSync(face('face_recognition/examples/biden.jpg'), path.join(lib, 'sub', 'a.jpg'));
  symlinkSync(lib, path.join(lib, 'sub', 'loop'));
  symlinkSync(path.join(lib, 'sub', 'a.jpg'), path.join(lib, 'link-to-a.jpg'));
  symlinkSync(path.join(lib, 'nowhere.jpg'), path.join(lib, 'dangling.jpg'));
  const r = await scanner.scanFolder(folder.id);
  assert.equal(photos.inFolder(folder.id).length, 1);
  assert.equal(r.added, 1);
  assert.ok(
    r.problems.some((p) => p.path.endsWith('dangling.jpg')),
    'a dangling link is reported',
  );
});

test('a renamed folder: its indexed photos are done again at the new path, never failed or missing', async (t) => {
  const { lib, scanner, folder, photos, db } = setup(t);
  const oldDir = path.join(lib, 'alice');
  mkdirSync(oldDir);
  copyFileSync(face('face_recognition/examples/biden.jpg'), path.join(oldDir, 'a.jpg'));
  copyFileSync(face('face_recognition/examples/obama.jpg'), path.join(oldDir, 'b.jpg'));
  await scanner.scanFolder(folder.id);
  for (const p of photos.inFolder(folder.id)) {
    photos.setDone(p.id, { width: 1, height: 1, orientation: 1, takenAt: null }, 'model');
  }
  renameSync(oldDir, path.join(lib, 'Alice Smith'));
  const r = await scanner.scanFolder(folder.id);
  assert.equal(r.moved, 2);
  assert.equal(r.missing, 0);
  const rows = photos.inFolder(folder.id);
  assert.deepEqual(
    rows.map((p) => [path.basename(path.dirname(p.path)), p.status, p.error]),
    [
      ['Alice Smith', 'done', null],
      ['Alice Smith', 'done', null],
    ],
  );
  // A photo moved to another library folder is followed too, whichever folder is scanned first.
  const other = path.join(path.dirname(lib), 'other');
  mkdirSync(other);
  const second = new FoldersRepo(db).add(other);
  renameSync(path.join(lib, 'Alice Smith', 'a.jpg'), path.join(other, 'a.jpg'));
  const r2 = await scanner.scanFolder(second.id);
  assert.equal(r2.moved, 1);
  assert.equal(photos.byPath(path.join(other, 'a.jpg'))!.status, 'done');
});

test('scan problems (dangling link, unreadable folder) are stored for status, and cleared when fixed', async (t) => {
  const { lib, scanner, folder, db } = setup(t);
  const dangling = path.join(lib, 'dangling.jpg');
  symlinkSync(path.join(lib, 'nowhere.jpg'), dangling);
  await scanner.scanFolder(folder.id);
  const repo = new ScanProblemsRepo(db);
  assert.deepEqual(repo.list(), [
    { path: dangling, error: 'broken symbolic link (its target does not exist)' },
  ]);
  rmSync(dangling);
  await scanner.scanFolder(folder.id);
  assert.deepEqual(repo.list(), []);
});
