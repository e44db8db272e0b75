import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Progress } from '../../main/api/jobs';
import { ETA_MIN_ITEMS, ETA_MIN_MS, ProgressTracker } from '../../main/engine/jobs/progress';

test('progress is throttled, always emits state changes and the last item', () => {
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
  now = 410;
  p.advance('c.jpg', true);
  now = 420;
  p.advance('d.jpg');
  assert.equal(seen.at(-1)!.done, 4, 'the last item is never swallowed by the throttle');
  assert.equal(seen.at(-1)!.errors, 1);
  p.finish('done');
  assert.equal(seen.at(-1)!.state, 'done');
});

/** Runs one phase of `total` items, the first finishing after `startupMs`, then one every `paceMs`. */
function etas(total: number, startupMs: number, paceMs: (i: number) => number): (number | null)[] {
  let now = 0;
  const seen: (number | null)[] = [];
  const p = new ProgressTracker(
    'index',
    () => undefined,
    0,
    () => now,
  );
  p.start('analysing', total);
  now = startupMs;
  for (let i = 0; i < total; i++) {
    if (i > 0) now += paceMs(i);
    p.advance(`${i}.jpg`);
    seen.push(p.snapshot().etaMs);
  }
  return seen;
}

test('no ETA from the start-up time: the first estimate of a 12 s job is about its real time left', () => {
  // 33 photos: the models take 6 s to load, then a photo every 200 ms (the job takes 12.4 s).
  const seen = etas(33, 6000, () => 200);
  // Before: the first item alone gave 6000 × 32 = 192 s. Now nothing until the pace is measured.
  const firstAt = seen.findIndex((e) => e !== null);
  assert.ok(firstAt >= ETA_MIN_ITEMS, `an ETA after ${firstAt + 1} items`);
  assert.ok(firstAt * 200 >= ETA_MIN_MS, 'and after enough measured time');
  for (let i = firstAt; i < seen.length; i++) {
    const truth = (seen.length - 1 - i) * 200;
    assert.ok(
      Math.abs(seen[i]! - truth) <= 0.2 * truth + 200,
      `item ${i}: ${seen[i]} ms vs ${truth} ms left`,
    );
  }
  assert.equal(seen.at(-1), 0);
});

test('the ETA is smoothed: one slow photo moves it only part of the way', () => {
  const seen = etas(60, 3000, (i) => (i === 30 ? 5000 : 250));
  const before = seen[29]!;
  const after = seen[30]!;
  // The raw estimate jumps by the slow photo's share of the pace (≈ +29 × 160 ms); the shown one by 30 % of it.
  const raw = ((29 * 250 + 5000) / 30) * 29;
  assert.ok(after < before + 0.35 * (raw - before), `${before} → ${after} ms (raw ${Math.round(raw)})`);
  assert.ok(after > before - 250, 'still counts the slow photo');
});

test('a new phase measures its own pace from scratch', () => {
  let now = 0;
  const p = new ProgressTracker(
    'index',
    () => undefined,
    0,
    () => now,
  );
  p.start('scanning', 10);
  for (let i = 0; i < 10; i++) {
    now += 1000;
    p.advance(null);
  }
  p.phase('writing', 100);
  now += 10;
  p.setDone(1);
  assert.equal(p.snapshot().etaMs, null, 'no ETA carried over from the previous phase');
});
