/**
 * [Note: many writers] Two connections on one catalog: a transaction that reads and then writes takes the
 * write lock up front (so it never fails on a stale snapshot), a busy catalog is recognised as transient,
 * and photos an earlier run failed only because the catalog was locked go back to the queue.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { isBusy, retryBusy } from '../../main/engine/catalog/busy';
import { openDatabase } from '../../main/engine/catalog/database';
import { FoldersRepo } from '../../main/engine/catalog/folders-repo';
import { PhotosRepo } from '../../main/engine/catalog/photos-repo';
import { tempDir } from '../support/temp';

test('a read-then-write transaction never fails because another connection wrote in between', (t) => {
  const file = path.join(tempDir(t), 'catalog.db');
  const a = openDatabase(file);
  const b = openDatabase(file);
  t.after(() => {
    a.close();
    b.close();
  });
  a.pragma('busy_timeout = 50');
  const insert = (db: typeof a, p: string) =>
    db.prepare('INSERT INTO folders (path, added_at) VALUES (?, 0)').run(p);
  let other = '';
  b.transaction(() => {
    b.prepare('SELECT COUNT(*) FROM folders').get();
    try {
      insert(a, '/a');
      other = 'wrote';
    } catch (err) {
      other = isBusy(err) ? 'waited' : String(err);
    }
    insert(b, '/b'); // with a deferred transaction this throws SQLITE_BUSY_SNAPSHOT
  })();
  assert.equal(other, 'waited', 'the other connection waits for the write lock held since BEGIN');
  assert.deepEqual(
    (b.prepare('SELECT path FROM folders ORDER BY path').all() as { path: string }[]).map((r) => r.path),
    ['/b'],
  );
});

test('two connections migrating a fresh catalog at once both end at the latest version', (t) => {
  const file = path.join(tempDir(t), 'catalog.db');
  const a = openDatabase(file);
  const b = openDatabase(file);
  t.after(() => {
    a.close();
    b.close();
  });
  assert.equal(a.pragma('user_version', { simple: true }), b.pragma('user_version', { simple: true }));
});

test('retryBusy retries a busy catalog, not other errors', async () => {
  let calls = 0;
  const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  assert.equal(
    await retryBusy(() => {
      if (++calls < 3) throw busy;
      return 'ok';
    }),
    'ok',
  );
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(
    retryBusy(() => {
      calls++;
      throw new Error('UNIQUE constraint failed: photos.path');
    }),
    /UNIQUE/,
  );
  assert.equal(calls, 1);
});

test('photos failed because the catalog was locked are queued again; real failures are not', (t) => {
  const db = openDatabase(path.join(tempDir(t), 'catalog.db'));
  t.after(() => db.close());
  const folder = new FoldersRepo(db).add('/lib');
  const photos = new PhotosRepo(db);
  const locked = photos.insert(folder.id, '/lib/a.jpg', 1, 1, 'a')!;
  const bad = photos.insert(folder.id, '/lib/b.jpg', 1, 1, 'b')!;
  photos.setFailed(locked, 'database is locked');
  photos.setFailed(bad, 'corrupt jpeg file (bad Huffman code)');
  assert.equal(photos.requeueTransientFailures(), 1);
  assert.equal(photos.get(locked)!.status, 'pending');
  assert.equal(photos.get(bad)!.status, 'failed');
  assert.equal(photos.insert(folder.id, '/lib/a.jpg', 1, 1, 'a'), null, 'a path added twice is one photo');
});
