/**
 * Margin losses against values computed by hand (Python `math`, formulas in the comments): the loss,
 * its gradient with respect to every cosine, and the θ+m>π guard. One sample, two classes, label 0,
 * s = 2 so the numbers stay readable: loss = −log softmax(s·[ψ(c0), c1])₀,
 * ∂loss/∂c0 = (p0 − 1)·s·ψ'(c0), ∂loss/∂c1 = p1·s.
 * Run on both the WebAssembly and the plain-JS backend: kernels differ per backend (wasm's OneHot once
 * silently broke every loss while the CPU results were right).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend } from '../../main/engine/head/train/backends';
import {
  defaultLoss,
  marginLoss,
  marginTarget,
  type LossKind,
  type LossSettings,
} from '../../main/engine/head/train/losses';
import { registerGradients } from '../../main/engine/head/train/tf-gradients';

before(() => {
  registerGradients();
});

function lossAndGrad(cos: number[][], labels: number[], st: LossSettings): { loss: number; grad: number[] } {
  const c = tf.tensor2d(cos);
  const y = tf.tensor1d(labels, 'int32');
  const f = (t: tf.Tensor) => marginLoss(t as tf.Tensor2D, y, st);
  const loss = f(c).dataSync()[0]!;
  const grad = Array.from(tf.grad(f)(c).dataSync());
  tf.dispose([c, y]);
  return { loss, grad };
}

const near = (actual: number, expected: number, what: string, tol = 2e-4) => {
  assert.ok(Math.abs(actual - expected) < tol, `${what}: ${actual} vs ${expected}`);
};

const withS = (kind: LossKind, extra: Partial<LossSettings> = {}): LossSettings => ({
  ...defaultLoss(kind),
  s: 2,
  ...extra,
});

// [kind, settings, c0, c1, loss, ∂c0, ∂c1] — from the formulas above.
const cases: [string, LossSettings, number, number, number, number, number][] = [
  // ψ = c
  ['softmax', withS('softmax'), 0.8, 0.1, 0.220417, -0.395632, 0.395632],
  // ψ = c − 0.35
  ['cosface m=0.35', withS('cosface'), 0.8, 0.1, 0.403186, -0.663624, 0.663624],
  // ψ = cos(θ + 0.5), ψ' = sin(θ+m)/sinθ
  ['arcface m=0.5', withS('arcface'), 0.8, 0.1, 0.42737, -1.05503, 0.695556],
  // θ = acos(−0.95) = 2.82 > π − m: fallback ψ = c − m·sin m, ψ' = 1
  ['arcface past π', withS('arcface'), -0.95, 0.1, 2.652506, -1.859051, 1.859051],
  // ψ = cos(mθ), k = 0, ψ' = m·sin(mθ)/sinθ
  ['sphereface m=1.35', withS('sphereface'), 0.8, 0.1, 0.28944, -0.863472, 0.502635],
  // θ = acos(−0.9): mθ = 3.63 > π so k = 1: ψ = −cos(mθ) − 2
  ['sphereface k=1', withS('sphereface'), -0.9, 0.1, 2.51986, -2.68395, 1.839058],
  // ψ = cos(θ + 0.3) − 0.2
  ['combined', withS('combined'), 0.8, 0.1, 0.446809, -0.972443, 0.720668],
  // θ > θmax = π − 0.3: ψ = c − cos θmax − 1 − m3, ψ' = 1
  ['combined past θmax', withS('combined'), -0.99, 0.1, 2.73633, -1.870385, 1.870385],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`margin losses on ${backend}: forward and gradient by hand`, () => {
    before(() => chooseBackend(backend));
    for (const [name, st, c0, c1, loss, g0, g1] of cases) {
      it(name, () => {
        const r = lossAndGrad([[c0, c1]], [0], st);
        near(r.loss, loss, 'loss');
        near(r.grad[0]!, g0, '∂loss/∂c0');
        near(r.grad[1]!, g1, '∂loss/∂c1');
      });
    }

    it('sub-center ArcFace takes the best sub-centre of each class, and only it gets gradient', () => {
      // Class 0 sub-centres 0.8 / 0.6, class 1 sub-centres 0.1 / 0.3 → like arcface on [0.8, 0.3].
      const st = withS('subcenter', { subCentres: 2 });
      const r = lossAndGrad([[0.8, 0.6, 0.1, 0.3]], [0], st);
      const ref = lossAndGrad([[0.8, 0.3]], [0], withS('arcface'));
      near(r.loss, ref.loss, 'loss');
      near(r.grad[0]!, ref.grad[0]!, 'best sub-centre of the target');
      near(r.grad[3]!, ref.grad[1]!, 'best sub-centre of the other class');
      assert.equal(Math.abs(r.grad[1]!), 0);
      assert.equal(Math.abs(r.grad[2]!), 0);
    });

    it('class-balance weights: a weighted mean of per-row losses', () => {
      const st = withS('arcface');
      const cos = tf.tensor2d([
        [0.8, 0.1],
        [0.2, 0.7],
      ]);
      const y = tf.tensor1d([0, 1], 'int32');
      const each = [lossAndGrad([[0.8, 0.1]], [0], st).loss, lossAndGrad([[0.2, 0.7]], [1], st).loss];
      const w = marginLoss(cos, y, st, tf.tensor1d([3, 1])).dataSync()[0]!;
      near(w, (3 * each[0]! + each[1]!) / 4, 'weighted loss');
    });
  });

  describe(`the θ+m>π guard on ${backend}`, () => {
    before(() => chooseBackend(backend));
    const grid = Array.from({ length: 399 }, (_, i) => -0.995 + i * 0.005);
    const psi = (st: LossSettings) => Array.from(marginTarget(tf.tensor1d(grid), st).dataSync());

    it('without it cos(θ+m) would rise again as θ passes π − m (the failure it prevents)', () => {
      const m = 0.5;
      const raw = grid.map((c) => Math.cos(Math.acos(c) + m));
      const risesAsCFalls = raw.some((v, i) => i > 0 && v < raw[i - 1]! - 1e-9);
      assert.ok(risesAsCFalls, 'cos(θ+m) is not monotone in cosθ');
    });

    for (const kind of ['arcface', 'combined', 'sphereface'] as const) {
      it(`${kind}: the target logit never increases as the angle grows`, () => {
        const v = psi(defaultLoss(kind));
        for (let i = 1; i < v.length; i++)
          assert.ok(v[i]! >= v[i - 1]! - 1e-5, `${kind} at cos=${grid[i]}: ${v[i]} < ${v[i - 1]}`);
      });
    }

    it('arcface uses cos(θ+m) up to θ = π − m and cosθ − m·sin m beyond (the th/mm form)', () => {
      const st = defaultLoss('arcface');
      const th = Math.cos(Math.PI - st.m);
      const [inside, beyond] = Array.from(marginTarget(tf.tensor1d([th + 0.01, th - 0.01]), st).dataSync());
      near(inside!, Math.cos(Math.acos(th + 0.01) + st.m), 'inside');
      near(beyond!, th - 0.01 - st.m * Math.sin(st.m), 'beyond');
    });

    it('easy margin applies no margin where cosθ ≤ 0', () => {
      const st = { ...defaultLoss('arcface'), easyMargin: true };
      const [neg, pos] = Array.from(marginTarget(tf.tensor1d([-0.3, 0.6]), st).dataSync());
      near(neg!, -0.3, 'cosθ ≤ 0');
      near(pos!, Math.cos(Math.acos(0.6) + st.m), 'cosθ > 0');
    });
  });
}
