/**
 * Turns the stream of `head.progress` events into the chart's series. Training runs several passes: a
 * check on held-out faces per fold (phase 'validation', steps 0…steps-2, each stopping early once it no
 * longer improves), then the final model on every face (the last step). Each pass becomes one section
 * of the x axis, in step order, with its rounds in order and a gap between sections; events arrive
 * throttled and a pass may restart its numbering, so they are keyed by (step, epoch), never by epoch alone.
 * A value the engine did not measure (validation loss in the final pass) stays null: a gap, never a 0.
 */
import type { HeadProgress } from '../../state/training.svelte';

export interface Section {
  step: number;
  kind: 'check' | 'final';
  /** 1-based number of the check; 0 for the final pass. */
  index: number;
  /** x of this section's round 0 (its first round is at offset + 1). */
  offset: number;
  rounds: HeadProgress[];
}

export interface XY {
  x: number;
  y: number | null;
}

export interface Series {
  sections: Section[];
  /** How many checks the run makes (steps - 1). */
  checks: number;
  loss: XY[];
  valLoss: XY[];
  valTop1: XY[];
  maxX: number;
}

export function buildSeries(points: readonly HeadProgress[]): Series {
  const bySteps = new Map<number, Map<number, HeadProgress>>();
  let steps = 1;
  for (const p of points) {
    if (p.phase === 'eval' || p.loss === null) continue;
    steps = Math.max(steps, p.steps);
    let rounds = bySteps.get(p.step);
    if (!rounds) bySteps.set(p.step, (rounds = new Map<number, HeadProgress>()));
    rounds.set(p.epoch, p);
  }
  const sections: Section[] = [];
  let offset = 0;
  for (const step of [...bySteps.keys()].sort((a, b) => a - b)) {
    const rounds = [...bySteps.get(step)!.values()].sort((a, b) => a.epoch - b.epoch);
    const final = rounds.some((r) => r.phase === 'final');
    sections.push({ step, kind: final ? 'final' : 'check', index: final ? 0 : step + 1, offset, rounds });
    // One empty round between sections keeps them visibly apart.
    offset += rounds.at(-1)!.epoch + 1;
  }
  const loss: XY[] = [];
  const valLoss: XY[] = [];
  const valTop1: XY[] = [];
  for (const s of sections) {
    if (s !== sections[0]) {
      // A null point at the boundary breaks each line between sections.
      for (const series of [loss, valLoss, valTop1]) series.push({ x: s.offset, y: null });
    }
    for (const r of s.rounds) {
      const x = s.offset + r.epoch;
      loss.push({ x, y: r.loss });
      valLoss.push({ x, y: r.valLoss });
      valTop1.push({ x, y: r.valTop1 === null ? null : r.valTop1 * 100 });
    }
  }
  return { sections, checks: Math.max(0, steps - 1), loss, valLoss, valTop1, maxX: Math.max(1, offset - 1) };
}

/** The section an x value falls in. */
export function sectionAt(series: Series, x: number): Section | null {
  let found: Section | null = null;
  for (const s of series.sections) if (x > s.offset) found = s;
  return found;
}

/**
 * Whether point `i` of a line stands alone (a value with no value either side): a pass of one round, or a
 * round between two missing ones. A line draws nothing for it, so the chart marks it with a dot.
 */
export function isolated(data: readonly XY[], i: number): boolean {
  const has = (j: number) => j >= 0 && (data.at(j)?.y ?? null) !== null;
  return has(i) && !has(i - 1) && !has(i + 1);
}

/** A pass this long or longer also gets its middle round labelled. */
const MIDDLE_TICK_FROM = 6;

/**
 * The x values the axis labels: each pass's first and last round (and its middle when long), so every
 * pass reads from 1 to its length. Evenly spaced ticks across the whole axis fell at unrelated rounds of
 * successive passes ("10, 3, 13, 6, 16, 9"): correct, but unreadable as an order.
 */
export function roundTicks(series: Series): number[] {
  const out: number[] = [];
  for (const s of series.sections) {
    const first = s.rounds.at(0)!.epoch;
    const last = s.rounds.at(-1)!.epoch;
    out.push(s.offset + first);
    if (last - first >= MIDDLE_TICK_FROM) out.push(s.offset + Math.round((first + last) / 2));
    if (last !== first) out.push(s.offset + last);
  }
  return out;
}
