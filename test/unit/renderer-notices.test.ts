/**
 * The notices rune class (renderer/src/lib/state/notices.svelte.ts): at most three at once, newest last; a
 * notice that stops being true goes at once; a change of view keeps only the notices whose action still
 * applies (an Undo of the latest edit), as [Note: a notice undoes its own edit] relies on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importState, install } from '../support/svelte-runes';

interface NoticeLike {
  text: string | (() => string);
  action?: { available?: () => boolean };
}
interface NoticesLike {
  items: NoticeLike[];
  show(
    text: string,
    kind?: 'info' | 'error',
    action?: { label: string; run: () => void; available?: () => boolean },
    ms?: number,
    holds?: () => boolean,
  ): number;
  error(err: unknown): void;
  leaveView(): void;
}

install({});
const { notices } = await importState<{ notices: NoticesLike }>('notices');
const texts = () => notices.items.map((n) => String(n.text));
const run = () => undefined;

test('at most three notices, newest last; one that stops being true goes', () => {
  for (const n of [1, 2, 3, 4, 5]) notices.show(`n${n}`, 'info', undefined, 50);
  assert.deepEqual(texts(), ['n3', 'n4', 'n5']);
  let still = true;
  notices.show('holds', 'info', undefined, 50, () => still);
  assert.deepEqual(texts(), ['n4', 'n5', 'holds']);
  still = false;
  assert.deepEqual(texts(), ['n4', 'n5'], 'gone once untrue');
  // An untrue notice takes no place among the three.
  notices.show('n6', 'info', undefined, 50);
  assert.deepEqual(texts(), ['n4', 'n5', 'n6']);
  notices.leaveView();
  assert.deepEqual(texts(), []);
});

test('another view keeps only a notice whose action still applies', () => {
  let latest = true;
  notices.show('older edit', 'info', { label: 'Undo', run, available: () => false }, 50);
  notices.show('show it', 'info', { label: 'Show it', run }, 50);
  notices.show('merged', 'info', { label: 'Undo', run, available: () => latest }, 50);
  notices.leaveView();
  assert.deepEqual(texts(), ['merged']);
  notices.error(new Error('failed'));
  assert.equal(notices.items.length, 2);
  notices.leaveView();
  assert.deepEqual(texts(), ['merged'], 'an error is about the view it was shown in');
  latest = false;
  notices.leaveView();
  assert.deepEqual(texts(), [], 'an Undo that no longer applies does not follow the user');
});

test('a notice with an Undo stays long enough to use it; a plain one goes after a few seconds', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  notices.leaveView();
  const before = notices.items.length;
  notices.show('Confirmed 6 suggestions', 'info', { label: 'Undo', run, available: () => true });
  notices.show('Saved');
  t.mock.timers.tick(7000);
  assert.deepEqual(
    texts().slice(before),
    ['Confirmed 6 suggestions'],
    'the Undo notice left with the plain one',
  );
  t.mock.timers.tick(14_000);
  assert.deepEqual(texts().slice(before), [], 'the Undo notice stayed for good');
});
