/**
 * [Note: many writers] Several processes on one catalog, as on a normal day (the app, a `visage` command,
 * web mode): three `visage index` at once on a fresh catalog, and `visage serve` indexing while the CLI
 * indexes. Every photo ends indexed exactly once; nothing is failed or lost; every process exits cleanly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllIndexed, facts, PHOTOS, serverUrl, sleep, smallLibrary, visage } from './fault-support';

test('three `visage index` at once on a fresh catalog: nothing lost or failed', async (t) => {
  const { lib, db } = smallLibrary(t);
  const runs = [0, 1, 2].map(() => visage(db, 'index', '--json', lib));
  const results = await Promise.all(runs.map((r) => r.done));
  let indexed = 0;
  for (const r of results) {
    assert.equal(r.code, 0, `exit ${r.code}: ${r.err}`);
    const summary = JSON.parse(r.out.trim().split('\n').pop()!) as { indexed: number; failed: number };
    assert.equal(summary.failed, 0);
    indexed += summary.indexed;
  }
  assert.equal(indexed, PHOTOS, 'each process counts only the photos it stored itself');
  assertAllIndexed(assert, facts(db), 'three writers');
});

test('`visage serve` indexing while `visage index` runs: nothing lost or failed', async (t) => {
  const { lib, db } = smallLibrary(t);
  const server = visage(db, 'serve', '--port', '0');
  t.after(() => server.child.kill('SIGKILL'));
  const url = await serverUrl(server);
  const token = url.searchParams.get('token')!;
  const call = async (name: string, body: unknown) => {
    const res = await fetch(`${url.origin}/api/${name}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: `visage_token_${url.port}=${token}`,
        Origin: url.origin,
      },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, `${name}: ${await res.clone().text()}`);
    return (await res.json()) as unknown;
  };
  await call('library.addFolder', { path: lib, index: true, confirmed: true });
  const cli = await visage(db, 'index', '--json', lib).done;
  assert.equal(cli.code, 0, cli.err);
  // Wait for the server's own run to finish too.
  for (let i = 0; i < 1200; i++) {
    const jobs = (await call('jobs.status', {})) as { job: string; state: string }[];
    if (!jobs.some((j) => j.job === 'index' && (j.state === 'running' || j.state === 'paused'))) break;
    await sleep(100);
  }
  const status = (await call('library.status', {})) as { photos: { done: number; failed: number } };
  assert.equal(status.photos.done, PHOTOS);
  assert.equal(status.photos.failed, 0);
  assertAllIndexed(assert, facts(db), 'server + CLI');
});
