/**
 * The head through the engine's API, as the app and the CLI use it: a real catalog (temporary SQLite)
 * with real faces, people, confirmations and a rejection; `head.train` runs in a worker thread, stores
 * the head with its verdict and snapshot, and recognition suggests names without touching user work.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventPayload } from '../../main/api/contract';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import { library } from './head-library';

describe('head service', () => {
  it('trains in a worker, stores the run, and recognises without touching user work', async (t) => {
    const lib = await library(t);
    const { api, context } = lib.engine;
    const confirmedBefore = JSON.stringify(
      new AssignmentsRepo(context.db).byKind('confirmed').map((a) => [a.faceId, a.personId]),
    );
    const progress: EventPayload<'head.progress'>[] = [];
    const off = api.on('head.progress', (p) => progress.push(p));
    const { head, applied } = await api['head.train']({ episodes: 2, epochs: 40 });
    off();

    assert.equal(head.loss, 'arcface');
    assert.match(head.backend, /^wasm \(node-gpu: package not installed; node: package not installed\)$/);
    assert.deepEqual(
      {
        people: head.data.people,
        confirmed: head.data.confirmed,
        rejections: head.data.rejections,
        samePhoto: head.data.samePhotoNegatives,
        pairs: head.data.cannotLinkPairs,
      },
      { people: 6, confirmed: 30, rejections: 1, samePhoto: 0, pairs: 1 },
    );
    assert.ok(head.verdict.length > 20, head.verdict);
    assert.equal(head.active, head.accepted);
    assert.ok(progress.some((p) => p.phase === 'validation' && p.epoch > 0 && p.loss !== null));
    assert.ok(progress.some((p) => p.phase === 'final'));
    // The throttle never swallows where a pass ended: the final run (no early stop) reports its last
    // round, and every pass's rounds arrive in order.
    const final = progress.filter((p) => p.phase === 'final');
    assert.equal(final.at(-1)!.epoch, final.at(-1)!.epochs, 'the final run’s last round is reported');
    for (const step of new Set(progress.map((p) => p.step))) {
      const rounds = progress.filter((p) => p.step === step).map((p) => p.epoch);
      assert.deepEqual(
        rounds,
        [...rounds].sort((a, b) => a - b),
        `pass ${step} in order`,
      );
    }

    // User work is untouched; the rejected pairing never comes back.
    const assignments = new AssignmentsRepo(context.db);
    assert.equal(
      JSON.stringify(assignments.byKind('confirmed').map((a) => [a.faceId, a.personId])),
      confirmedBefore,
    );
    const rejected = assignments.get(lib.faceIds.get(lib.faces[56]!)!);
    assert.ok(!rejected || rejected.personId !== lib.personIds.get(lib.faces[0]!.person));

    // Recognition: faces 5–7 of the six named people should mostly get their own name.
    assert.ok(applied);
    assert.equal(applied.faces, 64 - 30);
    assert.equal(applied.model, head.active ? `head:${head.id}` : 'centroid');
    let right = 0;
    let named = 0;
    for (const [name, pid] of lib.personIds) {
      for (const f of lib.faces.filter((x) => x.person === name).slice(5)) {
        const a = assignments.get(lib.faceIds.get(f)!);
        if (a) {
          named++;
          if (a.personId === pid) right++;
        }
      }
    }
    assert.ok(named >= 12, `${named} of 18 unlabelled faces of named people got a name`);
    assert.ok(right / named >= 0.9, `${right}/${named} right`);
  });

  it('lists, rolls back to the baseline, re-activates with force, and cancels cleanly', async (t) => {
    const lib = await library(t);
    const { api } = lib.engine;
    const { head } = await api['head.train']({ episodes: 1, epochs: 20, apply: false });
    assert.equal((await api['head.list']({})).length, 1);
    await api['head.rollback']({});
    assert.equal((await api['head.list']({}))[0]!.active, false);
    const again = await api['head.activate']({ id: head.id, force: true });
    assert.equal(again.active, true);
    assert.equal((await api['head.recognise']({})).model, `head:${head.id}`);

    const run = api['head.train']({ episodes: 3 });
    const off = api.on('head.progress', () => void api['jobs.cancel']({ job: 'train' }));
    await assert.rejects(run, /cancelled; nothing was stored/);
    off();
    assert.equal((await api['head.list']({})).length, 1);
  });
});
