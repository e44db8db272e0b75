/** The similarity transform and the warp ([Note: face alignment]) on synthetic points and images. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Point } from '../../main/api/common';
import {
  alignFace,
  applySimilarity,
  ARCFACE_TEMPLATE,
  estimateSimilarity,
  inverseAffine,
  type Similarity,
} from '../../main/engine/vision/align';
import type { RgbRaster } from '../../main/engine/vision/raster';

/** A similarity from scale, angle (degrees) and translation. */
function sim(scale: number, deg: number, tx: number, ty: number): Similarity {
  const r = (deg * Math.PI) / 180;
  return { a: scale * Math.cos(r), b: scale * Math.sin(r), tx, ty };
}

test('recovers a known rotation, scale and translation exactly', () => {
  const truth = sim(0.37, 28, 14.5, -9.25);
  const src: Point[] = ARCFACE_TEMPLATE.map((p) => [p[0] * 3 + 100, p[1] * 2.5 + 40]);
  const dst = src.map((p) => applySimilarity(truth, p));
  const est = estimateSimilarity(src, dst);
  for (const k of ['a', 'b', 'tx', 'ty'] as const)
    assert.ok(Math.abs(est[k] - truth[k]) < 1e-9, `${k}: ${est[k]}`);
});

test('is the least-squares fit under noise, and never reflects', () => {
  const truth = sim(2.2, -41, -30, 75);
  const noise = [
    [0.4, -0.3],
    [-0.2, 0.5],
    [0.1, 0.1],
    [-0.5, -0.2],
    [0.3, 0.2],
  ];
  const src = [...ARCFACE_TEMPLATE];
  const dst = src.map((p, i): Point => {
    const q = applySimilarity(truth, p);
    return [q[0] + noise[i]![0]!, q[1] + noise[i]![1]!];
  });
  const est = estimateSimilarity(src, dst);
  const sse = (t: Similarity) =>
    src.reduce(
      (s, p, i) =>
        s + (applySimilarity(t, p)[0] - dst[i]![0]) ** 2 + (applySimilarity(t, p)[1] - dst[i]![1]) ** 2,
      0,
    );
  assert.ok(sse(est) <= sse(truth) + 1e-9, 'the estimate fits at least as well as the truth');
  for (const d of [1e-3, -1e-3]) {
    for (const k of ['a', 'b', 'tx', 'ty'] as const)
      assert.ok(sse({ ...est, [k]: est[k] + d }) > sse(est), `not a minimum along ${k}`);
  }
  assert.ok(Math.abs(Math.hypot(est.a, est.b) - 2.2) < 0.02);
  // A mirrored point set cannot be matched by a similarity: the best fit collapses towards zero scale.
  const mirrored = dst.map(([x, y]): Point => [-x, y]);
  assert.ok(Math.hypot(estimateSimilarity(src, mirrored).a, estimateSimilarity(src, mirrored).b) < 0.5);
});

test('inverseAffine undoes the transform', () => {
  const t = sim(1.7, 63, 5, -12);
  const [a, b, c, d, e, f] = inverseAffine(t);
  for (const p of ARCFACE_TEMPLATE) {
    const q = applySimilarity(t, p);
    assert.ok(Math.abs(a * q[0] + b * q[1] + c - p[0]) < 1e-9);
    assert.ok(Math.abs(d * q[0] + e * q[1] + f - p[1]) < 1e-9);
  }
});

test('alignFace puts rotated, scaled landmarks on the template (image warp)', () => {
  // A face "photo": bright 5×5 dots where the template points land under a 25° turn at 2.3× scale.
  const toPhoto = sim(2.3, 25, 180, 60);
  const width = 480;
  const height = 420;
  const data = new Uint8Array(width * height * 3);
  const landmarks: Point[] = ARCFACE_TEMPLATE.map((p) => {
    const [x, y] = applySimilarity(toPhoto, p);
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++)
        data.fill(
          255,
          ((Math.round(y) + dy) * width + Math.round(x) + dx) * 3,
          ((Math.round(y) + dy) * width + Math.round(x) + dx) * 3 + 3,
        );
    }
    return [Math.round(x) + 0.5, Math.round(y) + 0.5]; // continuous coordinates of the dot centre
  });
  const image: RgbRaster = { data, width, height };
  const { face } = alignFace(image, landmarks);
  for (const [tx, ty] of ARCFACE_TEMPLATE) {
    // Brightness-weighted centroid of the aligned dot near its template point.
    let sw = 0;
    let sx = 0;
    let sy = 0;
    for (let y = Math.floor(ty) - 4; y <= Math.ceil(ty) + 4; y++) {
      for (let x = Math.floor(tx) - 4; x <= Math.ceil(tx) + 4; x++) {
        const v = face[(y * 112 + x) * 3]!;
        sw += v;
        sx += v * x;
        sy += v * y;
      }
    }
    assert.ok(sw > 0, 'the dot is visible in the aligned face');
    const err = Math.hypot(sx / sw - tx, sy / sw - ty);
    assert.ok(err < 0.25, `dot lands ${err.toFixed(2)} px from the template point (${tx}, ${ty})`);
  }
});
