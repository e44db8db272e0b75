/**
 * The Library's header is re-read while indexing runs (renderer/src/lib/state/live-refresh.ts): at once
 * when the job's phase or state changes, at most every interval otherwise, and never left behind the
 * progress strip (a change inside the interval is read when it is over). The header once stayed at
 * "25 photos · 0 faces", read mid-scan, beside "0 of 57" for as long as no later event came.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { LiveRefresh } from '../../renderer/src/lib/state/live-refresh';

test('a phase change is read at once; events inside the interval end with one read after it', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 100_000 });
  try {
    let reads = 0;
    const live = new LiveRefresh(() => reads++, 3000);
    live.note({ phase: 'scanning folders', state: 'running' });
    assert.equal(reads, 1, 'the first snapshot');
    mock.timers.tick(500);
    live.note({ phase: 'scanning folders', state: 'running' });
    assert.equal(reads, 1, 'inside the interval: not yet');
    mock.timers.tick(500);
    // The scan ended: every photo found is catalogued, and the strip now counts them.
    live.note({ phase: 'analysing faces', state: 'running' });
    assert.equal(reads, 2, 'the new phase at once');
    mock.timers.tick(200);
    live.note({ phase: 'analysing faces', state: 'running' });
    live.note({ phase: 'analysing faces', state: 'running' });
    assert.equal(reads, 2);
    // No event comes after these (paused, or a slow photo): they are read when the interval is over.
    mock.timers.tick(2800);
    assert.equal(reads, 3, 'the last change is not dropped');
    mock.timers.tick(10_000);
    assert.equal(reads, 3, 'nothing new, nothing read');
    live.note({ phase: 'analysing faces', state: 'paused' });
    assert.equal(reads, 4, 'a pause at once');
    live.note({ phase: 'analysing faces', state: 'done' });
    assert.equal(reads, 5, 'the end at once');
    mock.timers.tick(10_000);
    assert.equal(reads, 5, 'no read left pending after the end');
  } finally {
    mock.timers.reset();
  }
});

test('a steady stream of events is read once per interval', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 100_000 });
  try {
    let reads = 0;
    const live = new LiveRefresh(() => reads++, 3000);
    for (let ms = 0; ms <= 9000; ms += 250) {
      live.note({ phase: 'analysing faces', state: 'running' });
      mock.timers.tick(250);
    }
    assert.ok(reads >= 3 && reads <= 5, `${reads} reads in 9 s of events every 250 ms`);
  } finally {
    mock.timers.reset();
  }
});
