/**
 * The training chart's series (renderer/src/lib/components/training/chart-series.ts): events arrive
 * throttled, a check stops early and the next one starts its rounds at 1 again; the chart must still
 * show each pass as its own section, in order (checks, then the final model), rounds in order, with
 * a gap between sections and gaps (null, never 0) where nothing was measured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildSeries,
  isolated,
  roundTicks,
  sectionAt,
} from '../../renderer/src/lib/components/training/chart-series';
import type { HeadProgress } from '../../renderer/src/lib/state/training.svelte';

function event(step: number, epoch: number, final: boolean, loss: number | null = 1 / epoch): HeadProgress {
  return {
    phase: final ? 'final' : 'validation',
    step,
    steps: 3,
    epoch,
    epochs: 150,
    loss,
    valLoss: final ? null : 2 / epoch,
    valTop1: final ? null : 0.5 + epoch / 100,
    elapsedMs: 0,
    etaMs: null,
    message: null,
    backend: 'wasm',
  };
}

test('passes become ordered sections with gaps between them and no invented zeros', () => {
  // Throttled: check 1 reports rounds 1, 7, 12, 14; check 2 stops at 9; the final run at 5; one
  // event repeats a round with a newer value, and a late event of check 1 arrives after check 2 began.
  const events = [
    event(0, 1, false),
    event(0, 7, false),
    event(0, 12, false),
    event(1, 1, false),
    event(0, 14, false),
    event(1, 9, false),
    event(1, 9, false, 0.05),
    event(2, 1, true),
    event(2, 5, true),
    event(2, 6, true, null), // no loss measured: not a point at all
  ];
  const s = buildSeries(events);
  assert.deepEqual(
    s.sections.map((x) => [x.kind, x.index, x.rounds.map((r) => r.epoch)]),
    [
      ['check', 1, [1, 7, 12, 14]],
      ['check', 2, [1, 9]],
      ['final', 0, [1, 5]],
    ],
  );
  assert.equal(s.checks, 2);
  const xs = s.loss.map((p) => p.x);
  assert.deepEqual(
    [...xs].sort((a, b) => a - b),
    xs,
    'x grows left to right',
  );
  // A null point at each section boundary breaks the lines; the final pass has no validation loss.
  assert.equal(s.loss.filter((p) => p.y === null).length, 2);
  const finalStart = s.sections[2]!.offset;
  assert.ok(s.valLoss.filter((p) => p.x > finalStart).every((p) => p.y === null));
  assert.ok(
    s.valLoss.every((p) => p.y !== 0),
    'never a 0 for a missing value',
  );
  assert.equal(s.loss.find((p) => p.x === s.sections[1]!.offset + 9)?.y, 0.05, 'the newest value of a round');
  assert.equal(sectionAt(s, s.sections[1]!.offset + 3)?.index, 2);
  assert.equal(sectionAt(s, s.maxX)?.kind, 'final');
});

test('a pass of one round is a dot, not nothing', () => {
  // Check 1 ran one round (it stopped at once), check 2 several, the final run one.
  const s = buildSeries([event(0, 1, false), event(1, 1, false), event(1, 2, false), event(2, 1, true)]);
  assert.deepEqual(
    s.sections.map((x) => [x.kind, x.rounds.length]),
    [
      ['check', 1],
      ['check', 2],
      ['final', 1],
    ],
  );
  const alone = (data: typeof s.loss) => data.flatMap((p, i) => (isolated(data, i) ? [p.x] : []));
  const [one, two, final] = s.sections;
  assert.deepEqual(alone(s.loss), [one!.offset + 1, final!.offset + 1], 'single-round passes get a dot');
  assert.deepEqual(alone(s.valLoss), [one!.offset + 1], 'the final run has no held-out loss to mark');
  assert.ok(!alone(s.loss).includes(two!.offset + 1), 'a line of two rounds needs no dot');
});

test("the axis labels each pass's own rounds, in order: first, middle when long, last", () => {
  const check = (step: number, epochs: number) =>
    Array.from({ length: epochs }, (_, i) => event(step, i + 1, step === 2));
  const series = buildSeries([...check(0, 12), ...check(1, 3), ...check(2, 1)]);
  const ticks = roundTicks(series);
  const label = (x: number) => {
    const s = sectionAt(series, x)!;
    return `${s.kind === 'final' ? 'F' : `C${s.index}`}:${x - s.offset}`;
  };
  assert.deepEqual(ticks.map(label), ['C1:1', 'C1:7', 'C1:12', 'C2:1', 'C2:3', 'F:1']);
  assert.deepEqual(
    ticks,
    [...ticks].sort((a, b) => a - b),
    'ticks in axis order',
  );
});
