/**
 * [Note: recognition reads off the serving thread] With a catalog file the head worker reads the library
 * itself; the serving thread only writes the decisions. The two paths decide alike on one catalog, and
 * edits made between the worker's read and the write (a confirmation, a rejection, a merge, a deleted
 * face) are not overwritten by the stale decisions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import { FacesRepo } from '../../main/engine/catalog/faces-repo';
import { HeadsRepo } from '../../main/engine/catalog/heads-repo';
import { PeopleRepo } from '../../main/engine/catalog/people-repo';
import type { Engine } from '../../main/engine/engine';
import { HeadService } from '../../main/engine/head/head-service';
import type { Decision } from '../../main/engine/head/recognise/recognise';
import { JobRegistry } from '../../main/engine/jobs/job-registry';
import { library } from './head-library';

/** A head service on the engine's catalog; dbPath null builds recognition's input on this thread. */
function service(engine: Engine, dbPath: string | null): HeadService {
  const { db } = engine.context;
  return new HeadService(
    {
      faces: new FacesRepo(db),
      assignments: new AssignmentsRepo(db),
      people: new PeopleRepo(db),
      heads: new HeadsRepo(db),
      transaction: (fn) => db.transaction(fn)(),
    },
    () => undefined,
    new JobRegistry(),
    dbPath,
  );
}

describe('recognition in the head worker', () => {
  it('decides on its own read of the catalog file exactly as on an input built in-process', async (t) => {
    const { engine } = await library(t);
    const { db } = engine.context;
    assert.equal(db.memory, false);
    const fromFile = await service(engine, db.name).decide();
    const inProcess = await service(engine, null).decide();
    assert.equal(fromFile.model, 'centroid');
    assert.equal(fromFile.decided.length, 64 - 30);
    assert.ok(fromFile.named.length >= 10, 'names were decided');
    assert.deepEqual(fromFile, inProcess);
  });

  it('does not let decisions read before an edit overwrite it', async (t) => {
    const { engine } = await library(t);
    const { db } = engine.context;
    const head = service(engine, db.name);
    const run = await head.decide();

    // One named face of each of four different people, and a fifth person to merge into.
    const byPerson = new Map<number, Decision>();
    for (const d of run.named) if (!byPerson.has(d.personId)) byPerson.set(d.personId, d);
    const [confirmed, rejected, merged, deleted] = [...byPerson.values()];
    assert.ok(confirmed && rejected && merged && deleted, 'four people got a name');
    const people = new PeopleRepo(db);
    const chosen = new Set([confirmed, rejected, merged, deleted].map((d) => d.personId));
    const into = people.list(true).find((p) => !chosen.has(p.id))!.id;

    // The user's edits, after the worker read the catalog and before the decisions are written.
    const assignments = new AssignmentsRepo(db);
    assignments.confirm(confirmed.faceId, into);
    assignments.reject(rejected.faceId, rejected.personId);
    people.setMergedInto(merged.personId, into);
    db.prepare('DELETE FROM faces WHERE id = ?').run(deleted.faceId);

    const summary = head.write(run);
    assert.equal(assignments.get(confirmed.faceId)?.kind, 'confirmed');
    assert.equal(assignments.get(confirmed.faceId)?.personId, into);
    assert.notEqual(assignments.get(rejected.faceId)?.personId, rejected.personId);
    assert.notEqual(assignments.get(merged.faceId)?.personId, merged.personId);
    assert.equal(assignments.get(deleted.faceId), null);
    // Every other decision is written.
    const stale = (d: Decision) =>
      [confirmed, rejected, deleted].includes(d) || d.personId === merged.personId;
    const named = run.named;
    assert.equal(summary.suggested + summary.auto, named.filter((d) => !stale(d)).length);
    for (const d of named.filter((x) => !stale(x)))
      assert.equal(assignments.get(d.faceId)?.personId, d.personId);
  });

  it('does not rewrite names a repeated run decides again', async (t) => {
    const { engine } = await library(t);
    const { db } = engine.context;
    const head = service(engine, db.name);
    const run = await head.decide();
    const first = head.write(run);
    const assignments = new AssignmentsRepo(db);
    const rows = () => JSON.stringify([...assignments.byKind('suggested'), ...assignments.byKind('auto')]);
    const before = rows();
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(head.write(await head.decide()), first);
    assert.equal(rows(), before);
    assert.equal(first.suggested + first.auto, run.named.length);
  });
});
