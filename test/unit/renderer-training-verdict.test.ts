/**
 * The training verdict in the user's words (renderer/src/lib/state/training.svelte.ts, verdictText): a
 * head accepted on equal numbers was accepted for keeping strangers further away (guard.ts), and the
 * verdict said "told strangers apart better (91.7% vs 91.7%)". It also said "it is now in use" on a
 * model rolled back since; the verdict tells what was decided then.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { install, importState } from '../support/svelte-runes';

install({});
const { verdictText } = await importState<{ verdictText: (h: unknown) => string }>('training');

const head = (top1: number, open: number, baseTop1: number, baseOpen: number, accepted: boolean) => ({
  accepted,
  metrics: { top1, open, known: 40, unknown: 12, separation: 2 },
  baseline: { top1: baseTop1, open: baseOpen, known: 40, unknown: 12, separation: 1 },
});

test('equal numbers are never called better; a gain is; a kept baseline says why', () => {
  const equal = verdictText(head(0.926, 0.917, 0.926, 0.917, true));
  assert.doesNotMatch(equal, /better/, equal);
  assert.match(equal, /as well, and it kept strangers further from your people/);
  const gain = verdictText(head(0.95, 0.917, 0.926, 0.917, true));
  assert.match(gain, /better, so it was put in use/);
  assert.match(verdictText(head(0.9, 0.9, 0.926, 0.917, false)), /Kept the plain comparison/);
  for (const text of [equal, gain]) assert.doesNotMatch(text, /now in use/, 'a past decision said as now');
});
