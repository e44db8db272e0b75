/**
 * The recognition metrics the head is judged by, as pure functions of score matrices:
 * - closed-set top-1: a known person's face is given the right name;
 * - open-set DIR@FAR: the share of known faces named correctly AND accepted, at the threshold where a
 *   fraction `far` of never-labelled people's faces would be wrongly accepted (detection and
 *   identification rate, the standard open-set watch-list measure);
 * - TAR@FAR on pairs: verification between faces of people nobody labelled, to show the head did not
 *   damage the embedding space for them.
 */
import type { Matrix } from '../vector-math';

export function top1(scores: Matrix, truth: ArrayLike<number>): number {
  if (scores.rows === 0) return 0;
  let hit = 0;
  for (let i = 0; i < scores.rows; i++) if (argmax(scores, i) === truth[i]) hit++;
  return hit / scores.rows;
}

function argmax(m: Matrix, i: number): number {
  let best = -Infinity;
  let bi = 0;
  for (let j = 0; j < m.cols; j++) {
    const v = m.data[i * m.cols + j]!;
    if (v > best) [best, bi] = [v, j];
  }
  return bi;
}

/**
 * The acceptance threshold at which at most `far` of the negative scores pass (score > threshold).
 * With n negatives, floor(far·n) of them may pass; the threshold is the next one down.
 */
export function thresholdAtFar(negatives: ArrayLike<number>, far: number): number {
  const sorted = Float64Array.from(negatives).sort().reverse();
  if (sorted.length === 0) return -Infinity;
  const k = Math.min(sorted.length - 1, Math.floor(far * sorted.length));
  return sorted[k]!;
}

/** Best score of each row (the open-set score of a face: how strongly it matches anyone). */
export function rowMax(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let best = -Infinity;
    for (let j = 0; j < m.cols; j++) best = Math.max(best, m.data[i * m.cols + j]!);
    out[i] = best;
  }
  return out;
}

/**
 * DIR at a false-accept rate: `known` holds scores of faces of labelled people (truth = their column),
 * `unknown` scores of faces of people never labelled.
 */
export function dirAtFar(known: Matrix, truth: ArrayLike<number>, unknown: Matrix, far: number): number {
  if (known.rows === 0) return 0;
  const t = thresholdAtFar(rowMax(unknown), far);
  let hit = 0;
  for (let i = 0; i < known.rows; i++) {
    const j = argmax(known, i);
    if (j === truth[i] && known.data[i * known.cols + j]! > t) hit++;
  }
  return hit / known.rows;
}

/**
 * TAR at a FAR over all pairs of rows of a similarity matrix of faces with identities `ids`:
 * genuine pairs share an id, impostor pairs do not.
 */
export function tarAtFar(sim: Matrix, ids: ArrayLike<number>, far: number): number {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < sim.rows; i++) {
    for (let j = i + 1; j < sim.rows; j++) {
      (ids[i] === ids[j] ? genuine : impostor).push(sim.data[i * sim.cols + j]!);
    }
  }
  if (genuine.length === 0 || impostor.length === 0) return 0;
  const t = thresholdAtFar(impostor, far);
  return genuine.filter((s) => s > t).length / genuine.length;
}

export interface MeanStd {
  mean: number;
  std: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  if (values.length === 0) return { mean: 0, std: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(v) };
}
