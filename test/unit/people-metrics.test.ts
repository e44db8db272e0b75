import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreClustering } from '../bench/people-metrics';

test('perfect grouping scores 1 everywhere', () => {
  const s = scoreClustering([0, 0, 1, 1, 1], ['a', 'a', 'b', 'b', 'b']);
  assert.equal(s.bcubed.f, 1);
  assert.equal(s.pairwise.f, 1);
  assert.equal(s.splitsPerPerson, 1);
  assert.equal(s.peoplePerGroup, 1);
});

test('BCubed and pairwise match hand-computed values for a merge and a split', () => {
  // Truth: a a a b; predicted: {0,1} {2,3}. Item precision: 1, 1, 1/2, 1/2 → P = 0.75.
  // Item recall: 2/3, 2/3, 1/3, 1 → R = 2/3. Pairs: true {01,02,12}, predicted {01,23}, both {01}.
  const s = scoreClustering([0, 0, 1, 1], ['a', 'a', 'a', 'b']);
  assert.ok(Math.abs(s.bcubed.p - 0.75) < 1e-12);
  assert.ok(Math.abs(s.bcubed.r - 2 / 3) < 1e-12);
  assert.ok(Math.abs(s.pairwise.p - 0.5) < 1e-12);
  assert.ok(Math.abs(s.pairwise.r - 1 / 3) < 1e-12);
  assert.equal(s.splitsPerPerson, 1.5); // a over 2 groups, b over 1
  assert.equal(s.peoplePerGroup, 1.5); // group 0 holds a, group 1 holds a and b
});

test('ungrouped faces count as groups of one', () => {
  const s = scoreClustering([-1, -1], ['a', 'a']);
  assert.equal(s.bcubed.p, 1);
  assert.equal(s.bcubed.r, 0.5);
  assert.equal(s.ungrouped, 2);
  assert.equal(s.groups, 0);
});
