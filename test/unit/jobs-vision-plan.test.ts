/** [Note: vision threads]: workers and ORT threads chosen from the machine, overridable by env. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPoolSize, visionPlan } from '../../main/engine/vision/vision-plan';

test('workers take every core on 1–2 cores and all but one above; ORT threads share the rest', (t) => {
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  delete process.env.VISAGE_WORKERS;
  delete process.env.VISAGE_ORT_THREADS;
  assert.deepEqual(
    [1, 2, 4, 8].map((c) => defaultPoolSize(c)),
    [1, 2, 3, 7],
  );
  assert.deepEqual(visionPlan(undefined, 2), { workers: 2, ortThreads: 1, cores: 2 });
  assert.deepEqual(visionPlan(undefined, 8), { workers: 7, ortThreads: 1, cores: 8 });
  assert.deepEqual(visionPlan(2, 8), { workers: 2, ortThreads: 3, cores: 8 });
  process.env.VISAGE_WORKERS = '1';
  process.env.VISAGE_ORT_THREADS = '2';
  assert.deepEqual(visionPlan(undefined, 8), { workers: 1, ortThreads: 2, cores: 8 });
  process.env.VISAGE_WORKERS = 'lots';
  assert.throws(() => visionPlan(undefined, 8), /VISAGE_WORKERS must be a positive integer/);
});
