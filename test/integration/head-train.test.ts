/**
 * Training on real faces (glint_celebs24 embedded by the real model, on the WebAssembly backend): a
 * trained ArcFace head names held-out faces of its people far better than the same head before
 * training, and the full head (transform + background) does not fall below the nearest-centroid
 * baseline on the evaluation protocol.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { centroidScorer } from '../../main/engine/head/train/baselines';
import { chooseBackend } from '../../main/engine/head/train/backends';
import {
  splitSet,
  trainingDataFor,
  type FaceSet,
  type Split,
} from '../../main/engine/head/eval/eval-protocol';
import { defaultLoss } from '../../main/engine/head/train/losses';
import { dirAtFar, top1 } from '../../main/engine/head/eval/metrics';
import { score } from '../../main/engine/head/model';
import { trainHead } from '../../main/engine/head/train/trainer';
import { defaultTrainSettings } from '../../main/engine/head/train/train-settings';
import { pickRows, type Matrix } from '../../main/engine/head/vector-math';
import { glintSet } from './head-fixture';

let set: FaceSet;
let split: Split;

before(async () => {
  await chooseBackend('wasm');
  set = await glintSet(12, 10);
  split = splitSet(set, 5, 1);
});

function measure(scorer: (x: Matrix) => Matrix) {
  const cls = new Map(split.known.map((p, i) => [p, i]));
  const probes = pickRows(set.x, split.probes);
  const truth = Int32Array.from(split.probes.map((r) => cls.get(set.y[r]!)!));
  const known = scorer(probes);
  return {
    top1: top1(known, truth),
    dir: dirAtFar(known, truth, scorer(pickRows(set.x, split.strangers)), 0.01),
  };
}

describe('head training on real faces', () => {
  it('a trained ArcFace head beats the untrained head', async () => {
    const data = trainingDataFor(set, split);
    // Class weights scored directly, from random weights, so everything they know comes from training.
    const st = {
      ...defaultTrainSettings(defaultLoss('arcface')),
      prototypes: 'weights' as const,
      init: 'random' as const,
      rank: 0,
    };
    const untrained = await trainHead(data, { ...st, epochs: 0 });
    const trained = await trainHead(data, { ...st, epochs: 60 });
    const before = measure((x) => score(untrained.params, x));
    const after = measure((x) => score(trained.params, x));
    assert.ok(trained.history.at(-1)!.loss < trained.history[0]!.loss, 'loss went down');
    assert.ok(after.top1 >= 0.9, `trained top-1 ${after.top1}`);
    assert.ok(after.top1 > before.top1 + 0.4, `trained ${after.top1} vs untrained ${before.top1}`);
  });

  it('the default head is not worse than the nearest-centroid baseline', async () => {
    const data = trainingDataFor(set, split);
    const head = await trainHead(data, { ...defaultTrainSettings(), epochs: 40 });
    const h = measure((x) => score(head.params, x));
    const b = measure(centroidScorer(data.x, data.y, data.classes));
    // 30 probes: one face is 3.3 points; allow one.
    assert.ok(h.top1 >= b.top1 - 0.034, `head top-1 ${h.top1} vs centroid ${b.top1}`);
    assert.ok(h.dir >= b.dir - 0.034, `head DIR ${h.dir} vs centroid ${b.dir}`);
  });
});
