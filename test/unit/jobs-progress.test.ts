import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Progress } from '../../main/api/jobs';
import { ProgressTracker } from '../../main/engine/jobs/progress';

test('progress is throttled, always emits state changes and the last item, and estimates ETA', () => {
  let now = 0;
  const seen: Progress[] = [];
  const p = new ProgressTracker(
    'index',
    (_e, payload) => seen.push(payload as Progress),
    250,
    () => now,
  );
  p.start('analysing', 4);
  assert.equal(seen.length, 1);
  now = 100;
  p.advance('a.jpg');
  assert.equal(seen.length, 1, 'throttled');
  now = 400;
  p.advance('b.jpg');
  assert.equal(seen.length, 2);
  assert.equal(seen[1]!.etaMs, 400, '2 done in 400 ms → 2 left ≈ 400 ms');
  now = 410;
  p.advance('c.jpg', true);
  now = 420;
  p.advance('d.jpg');
  assert.equal(seen.at(-1)!.done, 4, 'the last item is never swallowed by the throttle');
  assert.equal(seen.at(-1)!.errors, 1);
  p.finish('done');
  assert.equal(seen.at(-1)!.state, 'done');
});
