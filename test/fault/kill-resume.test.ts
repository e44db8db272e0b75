/**
 * kill -9 at random moments, then resume: an indexing run (resumed by two processes at once), a training
 * run and a full re-grouping. Nothing is lost: every photo indexed exactly once, every confirmation kept,
 * the catalog intact, and the killed work completes when run again. The moments are random; each
 * assertion message says which one was used, so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../main/cli/main';
import { assertAllIndexed, facts, peek, PHOTOS, PEOPLE, sleep, smallLibrary, visage } from './fault-support';

const quiet = { out: () => undefined, err: () => undefined };

async function killAfter(run: ReturnType<typeof visage>, ready: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 120_000;
  const state = { exited: false };
  void run.done.then(() => (state.exited = true));
  while (!state.exited && Date.now() < deadline && !(await ready())) await sleep(50);
  run.child.kill('SIGKILL');
  return run.done;
}

test('kill -9 during indexing, training and grouping; resume loses nothing', async (t) => {
  const { lib, db } = smallLibrary(t);

  // Indexing: killed once a random number of photos is done, then resumed by two processes at once.
  const target = 1 + Math.floor(Math.random() * (PHOTOS - 2));
  const killed = await killAfter(visage(db, 'index', lib), () => {
    const done = peek(
      db,
      (d) => (d.prepare("SELECT COUNT(*) AS n FROM photos WHERE status = 'done'").get() as { n: number }).n,
    );
    return (done ?? 0) >= target;
  });
  const moment = `index killed after ${target} photos (exit ${killed.signal ?? killed.code})`;
  const resumed = await Promise.all([visage(db, 'index').done, visage(db, 'index').done]);
  for (const r of resumed) assert.equal(r.code, 0, `${moment}: ${r.err}`);
  assertAllIndexed(assert, facts(db), moment);

  assert.equal(await main(['--db', db, 'label', '--from-folders', lib], quiet), 0);
  const labelled = facts(db);
  assert.equal(labelled.confirmed, PHOTOS);
  assert.equal(labelled.people, PEOPLE.length);

  // Training: killed at a random moment (start-up, data, epochs or storing the head).
  const trainMs = 500 + Math.floor(Math.random() * 6000);
  const start = Date.now();
  await killAfter(visage(db, 'train'), () => Date.now() - start >= trainMs);
  let after = facts(db);
  assert.equal(after.integrity, 'ok', `train killed at ${trainMs} ms`);
  assert.equal(after.confirmed, labelled.confirmed, `train killed at ${trainMs} ms: confirmations kept`);

  // Grouping from scratch: killed at a random moment.
  const clusterMs = 300 + Math.floor(Math.random() * 3000);
  const start2 = Date.now();
  await killAfter(visage(db, 'cluster', '--full'), () => Date.now() - start2 >= clusterMs);
  after = facts(db);
  assert.equal(after.integrity, 'ok', `cluster killed at ${clusterMs} ms`);
  assert.equal(after.confirmed, labelled.confirmed, `cluster killed at ${clusterMs} ms: confirmations kept`);
  assert.equal(after.people, labelled.people);

  // Both resume: run again to the end.
  assert.equal(
    await main(['--db', db, 'cluster', '--full'], quiet),
    0,
    `after cluster kill at ${clusterMs} ms`,
  );
  assert.equal(await main(['--db', db, 'train'], quiet), 0, `after train kill at ${trainMs} ms`);
  const final = facts(db);
  assert.equal(final.confirmed, labelled.confirmed);
  assert.equal(final.people, labelled.people);
  assert.equal(final.integrity, 'ok');
  const heads = peek(db, (d) => (d.prepare('SELECT COUNT(*) AS n FROM heads').get() as { n: number }).n);
  assert.ok((heads ?? 0) >= 1, 'the resumed training stored its head');
});
