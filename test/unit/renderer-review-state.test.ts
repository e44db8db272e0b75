/**
 * The review queue's rune class (renderer/src/lib/state/review.svelte.ts) under node: answers move the
 * queue on at once and reach the API with the question's faces, skip rotates, a bulk "yes" confirms only
 * the sure questions, and a failed answer is reported and the queue reloaded from the engine.
 * The API is a stand-in that serves a fixed queue and records calls; the class under test is real.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importState, install } from '../support/svelte-runes';

interface Suggestion {
  faceIds: number[];
  person: { id: number; name: string };
  tier: 'sure' | 'likely';
}
interface ReviewLike {
  queue: Suggestion[];
  answered: number;
  current: Suggestion | null;
  sure: Suggestion[];
  sureFaces: number;
  load(): Promise<void>;
  yes(): Promise<void>;
  no(): Promise<void>;
  skip(): void;
  confirmSure(): Promise<void>;
}
interface NoticesLike {
  items: { text: string | (() => string); kind: 'info' | 'error' }[];
}

const ask = (id: number, tier: Suggestion['tier'], faceIds: number[]): Suggestion => ({
  faceIds,
  person: { id, name: `P${id}` },
  tier,
});
const served = [ask(1, 'sure', [10, 11]), ask(2, 'likely', [20]), ask(3, 'sure', [30])];
const calls: [string, unknown][] = [];
let failConfirm = false;
const ok = { summary: 'done', message: { key: 'x', params: {} } };
install({
  on: () => () => undefined,
  'people.suggestions': (p: unknown) => {
    calls.push(['people.suggestions', p]);
    return Promise.resolve(served);
  },
  'people.confirm': (p: unknown) => {
    calls.push(['people.confirm', p]);
    return failConfirm ? Promise.reject(new Error('the catalog is busy')) : Promise.resolve(ok);
  },
  'people.reject': (p: unknown) => {
    calls.push(['people.reject', p]);
    return Promise.resolve(ok);
  },
});
const { review } = await importState<{ review: ReviewLike }>('review');
const { notices } = await importState<{ notices: NoticesLike }>('notices');

/** A notice's words: toasts keep a function so a language switch re-words them. */
const worded = (text: string | (() => string)) => (typeof text === 'function' ? text() : text);

test('load fills the queue in the engine order; derived values follow it', async () => {
  await review.load();
  assert.deepEqual(
    review.queue.map((s) => s.person.id),
    [1, 2, 3],
  );
  assert.equal(review.current?.person.id, 1);
  assert.deepEqual(
    review.sure.map((s) => s.person.id),
    [1, 3],
  );
  assert.equal(review.sureFaces, 3, 'a group question counts all its faces');
});

test('skip rotates; yes confirms every face of the question and moves on; no rejects every face of the question in one edit', async () => {
  await review.load();
  review.skip();
  assert.deepEqual(
    review.queue.map((s) => s.person.id),
    [2, 3, 1],
  );
  calls.length = 0;
  await review.no();
  assert.deepEqual(calls, [['people.reject', { faceIds: [20], person: 2 }]]);
  await review.yes();
  assert.deepEqual(calls.at(-1), ['people.confirm', { faceIds: [30] }]);
  assert.deepEqual(
    review.queue.map((s) => s.person.id),
    [1],
  );
  assert.equal(review.answered, 2);
});

test('a bulk yes confirms only the sure questions and leaves the rest', async () => {
  await review.load();
  calls.length = 0;
  const before = review.answered;
  await review.confirmSure();
  assert.deepEqual(calls, [['people.confirm', { faceIds: [10, 11, 30] }]]);
  assert.deepEqual(
    review.queue.map((s) => s.person.id),
    [2],
  );
  assert.equal(review.answered - before, 3);
});

test('a failed answer is shown as an error and the queue is reloaded from the engine', async () => {
  await review.load();
  review.skip();
  calls.length = 0;
  failConfirm = true;
  await review.yes();
  failConfirm = false;
  assert.deepEqual(
    calls.map(([name]) => name),
    ['people.confirm', 'people.suggestions'],
  );
  assert.equal(review.queue.length, 3, 'the reloaded queue');
  const last = notices.items.at(-1);
  assert.equal(last?.kind, 'error');
  assert.match(worded(last.text), /the catalog is busy/);
});
