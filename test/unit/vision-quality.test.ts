/** Face quality measures on synthetic faces: blur (Laplacian variance), pose (yaw) and the combination. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Point } from '../../main/api/common';
import { ARCFACE_TEMPLATE } from '../../main/engine/vision/align';
import { faceQuality, laplacianVariance, poseFromLandmarks } from '../../main/engine/vision/quality';

const SIZE = 112;

/** A 112×112 RGB test card: stripes of the given period, then box-blurred `passes` times. */
function card(period: number, passes: number): Uint8Array {
  let g = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) g[y * SIZE + x] = (x + y) % period < period / 2 ? 40 : 210;
  for (let p = 0; p < passes; p++) {
    const n = new Float32Array(g.length);
    for (let y = 1; y < SIZE - 1; y++) {
      for (let x = 1; x < SIZE - 1; x++) {
        let s = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += g[(y + dy) * SIZE + x + dx]!;
        n[y * SIZE + x] = s / 9;
      }
    }
    g = n;
  }
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < g.length; i++) rgb.fill(Math.round(g[i]!), i * 3, i * 3 + 3);
  return rgb;
}

/** The template's 5 points as seen with the head turned by `deg` (nose 1, mouth 0.5 half-eye-distances deep). */
function turned(deg: number): Point[] {
  const t = (deg * Math.PI) / 180;
  const cx = 56;
  const half = (ARCFACE_TEMPLATE[1]![0] - ARCFACE_TEMPLATE[0]![0]) / 2;
  const depth = [0, 0, 1, 0.5, 0.5];
  return ARCFACE_TEMPLATE.map(([x, y], i): Point => [
    cx + (x - cx) * Math.cos(t) + depth[i]! * half * Math.sin(t),
    y,
  ]);
}

test('blur: a flat face has no detail; blurring lowers the Laplacian variance monotonically', () => {
  assert.equal(laplacianVariance(new Uint8Array(SIZE * SIZE * 3).fill(128)), 0);
  const v = [0, 1, 2, 4].map((passes) => laplacianVariance(card(8, passes)));
  for (let i = 1; i < v.length; i++) assert.ok(v[i]! < v[i - 1]!, `variance ${v.join(' > ')}`);
});

test('pose: 0 for a frontal face, ≈ yaw / 90° when turned, symmetric', () => {
  assert.ok(
    poseFromLandmarks(ARCFACE_TEMPLATE) < 0.03,
    `template pose ${poseFromLandmarks(ARCFACE_TEMPLATE)}`,
  );
  for (const deg of [15, 30, 45, 60]) {
    const p = poseFromLandmarks(turned(deg));
    assert.ok(Math.abs(p - deg / 90) < 0.06, `${deg}° gives pose ${p}`);
    assert.ok(Math.abs(poseFromLandmarks(turned(-deg)) - p) < 0.03, 'left and right turns score alike');
  }
});

test('overall is 0..1 and grows with size and sharpness, falls with pose', () => {
  const sharp = card(8, 0);
  const q = (size: number, img: Uint8Array, pts: readonly Point[]) => faceQuality(size, img, pts).overall;
  const base = q(60, sharp, ARCFACE_TEMPLATE);
  assert.ok(base > 0 && base < 1);
  assert.ok(q(200, sharp, ARCFACE_TEMPLATE) > base, 'bigger is better');
  assert.ok(q(60, card(8, 8), ARCFACE_TEMPLATE) < base, 'blurrier is worse');
  assert.ok(q(60, sharp, turned(40)) < base, 'turned is worse');
  assert.equal(q(10, sharp, ARCFACE_TEMPLATE), 0, 'a 10-px face is useless');
  const r = faceQuality(150, sharp, ARCFACE_TEMPLATE);
  assert.equal(r.size, 150);
  assert.ok(r.overall <= 1 && r.blur > 0 && r.pose >= 0);
});
