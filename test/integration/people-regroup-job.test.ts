/**
 * The full re-group as a background job (cluster-job.ts, cluster-worker.ts) on a real catalog file with
 * real faces: reads are answered while it runs, the job shows in jobs.status, cancel really cancels
 * (nothing written), and an edit made while a run computes is never overwritten by it. Reads of groups
 * do not wait for the recognition that follows grouping; reads of the review queue do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import { ClusterRepo } from '../../main/engine/catalog/cluster-repo';
import { PeopleRepo } from '../../main/engine/catalog/people-repo';
import { openEngine } from '../../main/engine/engine';
import { ProgressTracker } from '../../main/engine/jobs/progress';
import { ClusterService } from '../../main/engine/people/cluster-service';
import { Regrouping } from '../../main/engine/people/regrouping';
import { defaults } from '../../main/engine/people/settings';
import { realFaces, tempCatalog, type Catalog } from './people-fixture';

async function catalog(t: import('node:test').TestContext): Promise<Catalog> {
  const cat = tempCatalog(t);
  for (const f of await realFaces(4, 6)) cat.photo([f]);
  return cat;
}

const clustered = (cat: Catalog): number =>
  (cat.db.prepare('SELECT COUNT(*) AS n FROM faces WHERE cluster_id IS NOT NULL').get() as { n: number }).n;

test('a full re-group runs as a job: reads are served meanwhile, and it groups', async (t) => {
  const cat = await catalog(t);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const full = engine.api['people.cluster']({ full: true });
  const order: string[] = [];
  await Promise.all([
    full.then(() => order.push('full')),
    engine.api['people.list']({}).then(() => order.push('read')),
  ]);
  assert.deepEqual(order, ['read', 'full'], 'the read waited for the re-group');
  const snap = (await engine.api['jobs.status']({})).find((p) => p.job === 'cluster');
  assert.equal(snap?.state, 'done');
  assert.ok(clustered(cat) > 0, 'the worker wrote no groups');
});

test('cancelling the cluster job stops it before it writes anything', async (t) => {
  const cat = await catalog(t);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const full = engine.api['people.cluster']({ full: true });
  assert.equal((await engine.api['jobs.status']({})).find((p) => p.job === 'cluster')?.state, 'running');
  await engine.api['jobs.cancel']({ job: 'cluster' });
  await assert.rejects(full, /cancelled/);
  assert.equal(clustered(cat), 0, 'a cancelled re-group wrote groups');
  assert.equal((await engine.api['jobs.status']({})).find((p) => p.job === 'cluster')?.state, 'cancelled');
});

test('an edit made while a re-group computes is kept, not overwritten', async (t) => {
  const cat = await catalog(t);
  const clusters = new ClusterRepo(cat.db);
  const assignments = new AssignmentsRepo(cat.db);
  const service = new ClusterService({ db: cat.db, clusters, assignments, settings: defaults });
  const faceId = (cat.db.prepare('SELECT MIN(id) AS id FROM faces').get() as { id: number }).id;
  const alice = new PeopleRepo(cat.db).create('Alice').id;
  let edited = false;
  const summary = service.full({
    chunkMs: 0,
    // Called before each write chunk: the user confirms a face after the run read the catalog.
    cancelled: () => {
      if (!edited) assignments.confirm(faceId, alice);
      edited = true;
      return false;
    },
  });
  assert.ok(summary.skipped >= 1, 'the edited face was not skipped');
  assert.equal(assignments.get(faceId)?.kind, 'confirmed');
  assert.equal(assignments.get(faceId)?.personId, alice);
  assert.equal(clusters.state(faceId)?.clusterId, null, 'the re-group put a confirmed face in a group');
});

test('reads of groups wait for grouping only; the review queue waits for the recognition after it', async (t) => {
  const cat = await catalog(t);
  const service = new ClusterService({
    db: cat.db,
    clusters: new ClusterRepo(cat.db),
    assignments: new AssignmentsRepo(cat.db),
    settings: defaults,
  });
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let recognitions = 0;
  const regrouping = new Regrouping(service, new ProgressTracker('cluster', () => undefined), {
    dbPath: null,
    settings: defaults,
    afterGrouped: async () => {
      recognitions++;
      await gate;
    },
  });
  regrouping.schedule();
  await regrouping.flush();
  assert.ok(clustered(cat) > 0, 'flush() returned before the faces were grouped');
  let all = false;
  const everything = regrouping.flushAll().then(() => (all = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(all, false, 'flushAll() did not wait for recognition');
  // Edits while recognition runs: grouping still answers, and they ask for one more recognition run.
  regrouping.schedule();
  regrouping.schedule();
  await regrouping.flush();
  assert.equal(all, false);
  release();
  await everything;
  assert.equal(recognitions, 2, 'recognition runs requested meanwhile should coalesce into one more');
});

test('a bulk of new faces is grouped by the full re-group job (its worker), not by an incremental run on the serving thread', async (t) => {
  const cat = tempCatalog(t);
  const faces = await realFaces(4, 6);
  // 600 new faces (the real ones, repeated on their own photos): over the bulk threshold.
  for (let i = 0; i < 600; i++) cat.photo([faces[i % faces.length]!]);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const run = await engine.api['people.cluster']({ full: false });
  assert.equal(run.mode, 'full', 'a bulk was grouped incrementally on the serving thread');
  assert.ok(clustered(cat) > 0, 'the bulk run grouped nothing');
  // An edit's few faces afterwards: an incremental run again.
  cat.photo([faces[0]!]);
  assert.equal((await engine.api['people.cluster']({ full: false })).mode, 'incremental');
});
