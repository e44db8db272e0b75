/**
 * The merge bar's choice of whom to keep (renderer/src/lib/state/merge-choice.ts): every choice has a
 * reason the bar words, a tie included (it kept the first ticked without saying so), and the other one can
 * be kept instead.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeTicked, swapped } from '../../renderer/src/lib/state/merge-choice';
import { en } from '../../renderer/src/lib/i18n/en';
import { ko } from '../../renderer/src/lib/i18n/ko';

test('ticking two people keeps the one with more confirmed faces, or on a tie the first ticked, and says which', () => {
  const ann = { id: 1, faces: 8 };
  const bob = { id: 2, faces: 5 };
  assert.deepEqual(mergeTicked(ann, bob), { from: 2, into: 1, why: 'more' });
  assert.deepEqual(mergeTicked(bob, ann), { from: 2, into: 1, why: 'more' });
  const cy = { id: 3, faces: 8 };
  assert.deepEqual(mergeTicked(ann, cy), { from: 3, into: 1, why: 'tie' });
  assert.deepEqual(mergeTicked(cy, ann), { from: 1, into: 3, why: 'tie' });
  assert.deepEqual(swapped(mergeTicked(ann, cy)), { from: 1, into: 3, why: 'chosen' });
  // Every reason is worded, in both languages.
  for (const why of ['more', 'tie', 'dropped', 'chosen'] as const) {
    const key = `people.mergeKeeps.${why}`;
    assert.ok(key in en && key in ko, `${key} is worded in English and Korean`);
  }
});
