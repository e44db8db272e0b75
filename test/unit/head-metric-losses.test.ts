/**
 * Triplet and centre loss against values worked out by hand on tiny batches: which triplets semi-hard
 * mining picks, the loss and its gradient for every face, the centre term and Wen et al.'s centre step.
 * The batch: six faces on a line (second coordinate 0), margin α = 0.2, squared distances (x_i − x_j)²:
 *   face   0     1     2     3     4     5
 *   x      0     0.3   0.2   0.55  1.2   −0.5
 *   class  0     0     1     1     1     2
 * Of its 26 (anchor, positive, negative) triplets exactly two are semi-hard, d(a,p) < d(a,n) < d(a,p) + α:
 *   (0, 1, 5): d(a,p) = 0.09,   d(a,n) = 0.25
 *   (3, 2, 0): d(a,p) = 0.1225, d(a,n) = 0.3025
 * and e.g. (0, 1, 2) is hard (0.04 < 0.09), (0, 1, 3) easy (0.3025 ≥ 0.29), (2, 4, 5) hard.
 * Run on both the WebAssembly and the plain-JS backend, as the margin losses are.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend } from '../../main/engine/head/train/backends';
import { trainParamsSchema } from '../../main/api/head';
import { HeadService } from '../../main/engine/head/head-service';
import { defaultLoss, FEATURE_LOSS_RANK, marginLoss } from '../../main/engine/head/train/losses';
import {
  centreTerm,
  centreUpdate,
  possibleTriplets,
  semiHardTriplets,
  tripletLoss,
} from '../../main/engine/head/train/metric-losses';
import { registerGradients } from '../../main/engine/head/train/tf-gradients';

before(() => {
  registerGradients();
});

const near = (actual: number, expected: number, what: string, tol = 1e-4) => {
  assert.ok(Math.abs(actual - expected) < tol, `${what}: ${actual} vs ${expected}`);
};

const xs = [0, 0.3, 0.2, 0.55, 1.2, -0.5];
const labels = Int32Array.from([0, 0, 1, 1, 1, 2]);
const features = xs.map((x) => [x, 0]);

describe('semi-hard mining', () => {
  it('picks exactly the semi-hard triplets of the constructed batch, and counts all of them', () => {
    const n = xs.length;
    const dist = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = (xs[i]! - xs[j]!) ** 2;
    const t = semiHardTriplets(dist, labels, 0.2);
    const picked = Array.from(t.a, (a, i) => [a, t.p[i]!, t.n[i]!]);
    assert.deepEqual(picked, [
      [0, 1, 5],
      [3, 2, 0],
    ]);
    // Σ_c n_c(n_c − 1)(N − n_c) = 2·1·4 + 3·2·3 + 0.
    assert.equal(t.possible, 26);
    assert.equal(possibleTriplets(labels), 26);
  });

  it('a wider margin lets the easy ones in; none are semi-hard once every negative is far enough', () => {
    const n = xs.length;
    const dist = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = (xs[i]! - xs[j]!) ** 2;
    // α = 0.25: (0, 1, 3) (0.3025 < 0.34) joins.
    const wide = semiHardTriplets(dist, labels, 0.25);
    assert.equal(wide.a.length, 3);
    // Two far-apart pairs: d(a,n) ≥ d(a,p) + α for every triplet.
    const far = Float32Array.from([0, 0.01, 4, 4, 0.01, 0, 4, 4, 4, 4, 0, 0.01, 4, 4, 0.01, 0]);
    assert.equal(semiHardTriplets(far, Int32Array.from([0, 0, 1, 1]), 0.2).a.length, 0);
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`triplet and centre loss on ${backend}: forward and gradient by hand`, () => {
    before(() => chooseBackend(backend));

    const tripletAt = (weights: number[]) => {
      const f = tf.tensor2d(features);
      const w = Float32Array.from(weights);
      const fn = (t: tf.Tensor) => tripletLoss(t as tf.Tensor2D, labels, w, 0.2).loss;
      const value = fn(f).dataSync()[0]!;
      const grad = tf.grad(fn)(f).arraySync() as number[][];
      f.dispose();
      return { value, grad };
    };

    it('triplet loss: the mean hinge of the semi-hard triplets and its gradient', () => {
      const { value, grad } = tripletAt([1, 1, 1, 1, 1, 1]);
      // ((0.09 − 0.25 + 0.2) + (0.1225 − 0.3025 + 0.2)) / 2
      near(value, 0.03, 'loss');
      // Per triplet: ∂f_a = 2(f_n − f_p), ∂f_p = 2(f_p − f_a), ∂f_n = 2(f_a − f_n), halved (mean of two).
      // (0,1,5): f0 −1.6, f1 +0.6, f5 +1.0; (3,2,0): f3 −0.4, f2 −0.7, f0 +1.1.
      const expected = [-0.25, 0.3, -0.35, -0.2, 0, 0.5];
      expected.forEach((g, i) => {
        near(grad[i]![0]!, g, `∂loss/∂f${i}`);
        near(grad[i]![1]!, 0, `∂loss/∂f${i} (second coordinate)`);
      });
    });

    it('triplet loss weighs each triplet by its anchor (class balance)', () => {
      // Anchor 0 weighs 3, anchor 3 weighs 1: (3·0.04 + 1·0.02) / 4.
      near(tripletAt([3, 1, 1, 1, 1, 1]).value, 0.035, 'weighted loss');
    });

    it('triplet loss is 0 with no gradient when nothing is semi-hard', () => {
      const f = tf.tensor2d([
        [1, 0],
        [0.99, 0.1],
        [-1, 0],
        [-0.99, -0.1],
      ]);
      const y = Int32Array.from([0, 0, 1, 1]);
      const fn = (t: tf.Tensor) => tripletLoss(t as tf.Tensor2D, y, new Float32Array(4).fill(1), 0.2).loss;
      near(fn(f).dataSync()[0]!, 0, 'loss');
      for (const g of tf.grad(fn)(f).dataSync()) near(g, 0, 'gradient');
      f.dispose();
    });

    it('center loss: the softmax term is the normalised softmax (ψ = cosθ)', () => {
      const st = { ...defaultLoss('center'), s: 2 };
      const cos = tf.tensor2d([[0.8, 0.1]]);
      const y = tf.tensor1d([0], 'int32');
      // Same as the softmax case of head-losses.test.ts: −log softmax(2·[0.8, 0.1])₀.
      near(marginLoss(cos, y, st).dataSync()[0]!, 0.220417, 'softmax term');
      tf.dispose([cos, y]);
    });

    it('center loss: λ/2 · weighted mean squared distance to the own centre, gradient λ·w_i(f_i − c)/Σw', () => {
      const f = tf.tensor2d([
        [1, 0],
        [0.6, 0.8],
        [0, 1],
      ]);
      const centres = tf.tensor2d([
        [0.8, 0.2],
        [0, 0.9],
      ]);
      const y = tf.tensor1d([0, 0, 1], 'int32');
      const w = tf.tensor1d([1, 1, 2]);
      const lambda = 0.5;
      const fn = (t: tf.Tensor) => centreTerm(t as tf.Tensor2D, centres, y, w, lambda);
      // ‖f − c‖²: (0.04 + 0.04) = 0.08, (0.04 + 0.36) = 0.4, (0 + 0.01) = 0.01.
      // λ/2 · (0.08 + 0.4 + 2·0.01) / 4 = 0.25 · 0.125 = 0.03125.
      near(fn(f).dataSync()[0]!, 0.03125, 'centre term');
      const g = tf.grad(fn)(f).arraySync() as number[][];
      // λ/Σw = 0.125: row 0 0.125·(0.2, −0.2), row 1 0.125·(−0.2, 0.6), row 2 0.125·2·(0, 0.1).
      const expected = [
        [0.025, -0.025],
        [-0.025, 0.075],
        [0, 0.025],
      ];
      expected.forEach((r, i) => {
        r.forEach((v, j) => {
          near(g[i]![j]!, v, `∂/∂f${i}[${j}]`);
        });
      });
      tf.dispose([f, centres, y, w]);
    });
  });
}

describe("Wen et al.'s centre step", () => {
  it('moves each centre α of the way toward its faces, damped by 1 + n_j; classes absent stay', () => {
    const centres = Float32Array.from([0.8, 0.2, 0, 0.9, 0.5, 0.5]);
    const f = Float32Array.from([1, 0, 0.6, 0.8, 0, 1]);
    centreUpdate(centres, f, Int32Array.from([0, 0, 1]), 2, 0.5);
    // Class 0: Δ = ((0.8−1) + (0.8−0.6), (0.2−0) + (0.2−0.8)) / 3 = (0, −0.4/3); c −= 0.5·Δ.
    near(centres[0]!, 0.8, 'c0[0]');
    near(centres[1]!, 0.2 + 0.2 / 3, 'c0[1]');
    // Class 1: Δ = (0 − 0, 0.9 − 1) / 2 = (0, −0.05).
    near(centres[2]!, 0, 'c1[0]');
    near(centres[3]!, 0.925, 'c1[1]');
    // Class 2 had no face in the batch.
    near(centres[4]!, 0.5, 'c2[0]');
    near(centres[5]!, 0.5, 'c2[1]');
  });
});

describe('`visage train --loss triplet|center` settings', () => {
  it('record the rank they train with: a transform even when none is asked for', () => {
    const rank = (loss: string, extra: object = {}) =>
      HeadService.settingsFor(trainParamsSchema.parse({ loss, ...extra })).rank;
    assert.equal(rank('triplet'), FEATURE_LOSS_RANK);
    assert.equal(rank('center'), FEATURE_LOSS_RANK);
    assert.equal(rank('center', { rank: 8 }), 8);
    assert.equal(rank('arcface'), 0);
    assert.equal(HeadService.settingsFor(trainParamsSchema.parse({ loss: 'triplet', m: 0.3 })).loss.m, 0.3);
  });
});
