/**
 * The generated library of the first-run bench is cached by (seed, index): a photo's plan must be a pure
 * function of them, or a cached file would stand for a different photo than the one counted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planPhoto, SIZES } from '../bench/engine-library-photos';

test('a photo plan depends only on seed and index, and covers the mix', () => {
  assert.deepEqual(planPhoto(11, 7), planPhoto(11, 7));
  assert.notDeepEqual(planPhoto(11, 7), planPhoto(11, 8));
  assert.notDeepEqual(planPhoto(11, 7), planPhoto(12, 7));
  const plans = Array.from({ length: 400 }, (_, i) => planPhoto(11, i));
  const counts = new Set(plans.map((p) => p.faces.length));
  assert.deepEqual([...counts].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8], '0–8 faces');
  const mps = new Set(plans.map((p) => Math.round((p.width * p.height) / 1e6)));
  assert.deepEqual(
    [...mps].sort((a, b) => a - b),
    SIZES.map(([mp]) => mp),
  );
  for (const p of plans)
    for (const f of p.faces) {
      assert.ok(f.left >= 0 && f.left + f.side <= p.width && f.top >= 0 && f.top + f.side <= p.height);
    }
});
