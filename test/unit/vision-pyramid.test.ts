/** The detection pyramid plan ([Note: detection pyramid]) and NMS, without pixels. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nms, type Scored } from '../../main/engine/vision/nms';
import {
  MODEL_H,
  MODEL_MIN_FACE,
  MODEL_W,
  planPyramid,
  TILE_H,
  TILE_W,
  type Level,
} from '../../main/engine/vision/pyramid';

/** Whether some level sees this face whole, inside its size band, away from inner tile edges. */
function covered(levels: Level[], x: number, y: number, size: number): boolean {
  return levels.some((l) => {
    const h = size * l.scale;
    if (h < l.minFace || h > l.maxFace) return false;
    const fx = x * l.scale;
    const fy = y * l.scale;
    return l.tiles.some((t) => {
      const inX = fx >= t.x + (t.x > 0 ? 2 : -1e9) && fx + h <= t.x + t.w - (t.x + t.w < l.width ? 2 : -1e9);
      const inY = fy >= t.y + (t.y > 0 ? 2 : -1e9) && fy + h <= t.y + t.h - (t.y + t.h < l.height ? 2 : -1e9);
      return inX && inY;
    });
  });
}

test('every face from minFaceSize up is whole in a window of a level that owns its size', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (const [w, h, minFace] of [
    [2828, 2121, 22.6],
    [4000, 3000, 40],
    [1200, 1800, 24],
    [500, 375, 32],
  ] as const) {
    const levels = planPyramid(w, h, minFace);
    const finest = levels[levels.length - 1]!;
    // The smallest wanted face reaches the detector's reliable size, and no finer level is planned.
    assert.ok(
      minFace * finest.scale >= MODEL_MIN_FACE - 1e-9,
      'the smallest face is big enough at the finest level',
    );
    if (levels.length > 1)
      assert.ok(minFace * finest.scale <= MODEL_MIN_FACE + 1e-9, 'no wasted finer level');
    for (let i = 0; i < 3000; i++) {
      const size = minFace * Math.exp(rnd() * Math.log(Math.min(w, h) / minFace));
      const x = rnd() * (w - size);
      const y = rnd() * (h - size);
      assert.ok(
        covered(levels, x, y, size),
        `${w}×${h}: face ${size.toFixed(1)} at ${x.toFixed(0)},${y.toFixed(0)} is not covered`,
      );
    }
  }
});

test('a small photo is one pass at 320×240; a 12-MP level is a few big tiles with little overlap', () => {
  const small = planPyramid(250, 250, 32);
  assert.equal(small.length, 1);
  assert.deepEqual(
    small[0]!.tiles,
    [{ x: 0, y: 0, w: 240, h: 240, inW: MODEL_W, inH: MODEL_H }],
    'aspect kept: 250×250 becomes 240×240, letterboxed',
  );
  assert.ok(Math.abs(small[0]!.scale - 0.96) < 1e-9);
  const wide = planPyramid(4000, 3000, 32);
  assert.deepEqual([wide[0]!.width, wide[0]!.height], [MODEL_W, MODEL_H]);
  // 12 MP at 6 MP working size, faces down to 32 px of the photo (22.6 px of the raster).
  const levels = planPyramid(2828, 2121, 32 * 0.707);
  const finest = levels[levels.length - 1]!;
  let pixels = 0;
  for (const l of levels) {
    for (const t of l.tiles) {
      assert.ok(t.w <= Math.max(TILE_W, MODEL_W) && t.h <= Math.max(TILE_H, MODEL_H), `tile ${t.w}×${t.h}`);
      assert.ok(
        t.x >= 0 && t.y >= 0 && t.x + t.w <= l.width && t.y + t.h <= l.height,
        'tile inside its level',
      );
      pixels += t.w * t.h;
    }
  }
  // The old fixed 320×240 windows needed ~130 windows here (2.1× the finest level's area); now the
  // finest level's tiles overlap by under 30 % and all levels add up to under 1.5× its area.
  const area = finest.width * finest.height;
  const own = finest.tiles.reduce((n, t) => n + t.w * t.h, 0) / area;
  assert.ok(own < 1.3, `the finest level's tiles are ${own.toFixed(2)}× its area`);
  assert.ok(pixels / area < 1.5, `detector input is ${(pixels / area).toFixed(2)}× the finest level`);
  assert.ok(finest.tiles.length <= 16, `${finest.tiles.length} tiles`);
});

test('NMS keeps the best of duplicates but not a small face inside a big face box', () => {
  const boxes: Scored[] = [
    { x: 0, y: 0, w: 100, h: 120, score: 0.99 },
    { x: 4, y: 2, w: 96, h: 118, score: 0.9 }, // duplicate (high IoU)
    { x: 10, y: 10, w: 70, h: 80, score: 0.95 }, // duplicate from another level: inside, similar size
    { x: 20, y: 30, w: 20, h: 24, score: 0.8 }, // a real small face inside the big box
    { x: 300, y: 0, w: 50, h: 60, score: 0.7 },
  ];
  const kept = nms(boxes, { iou: 0.4, ios: 0.75 });
  assert.deepEqual(
    kept.map((b) => b.score),
    [0.99, 0.8, 0.7],
  );
  // rank overrides score when given
  const ranked = nms(
    [
      { x: 0, y: 0, w: 10, h: 10, score: 0.9, rank: 0.5 },
      { x: 0, y: 0, w: 10, h: 10, score: 0.8, rank: 0.8 },
    ],
    { iou: 0.4 },
  );
  assert.equal(ranked[0]!.score, 0.8);
});
