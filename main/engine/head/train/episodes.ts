/**
 * Validation episodes built from labelled faces only (probe or unassigned faces never steer a choice).
 * Each episode hides a fold of the labelled people entirely (they play the never-labelled people for
 * open-set rejection) and holds out a fifth of every other person's confirmed faces (closed-set
 * accuracy, early stopping). Hidden and held-out faces join the unlabelled pool, as they would be in a
 * library where nobody had named them yet.
 */
import type { TrainingData } from './train-settings';
import { matrix, pickRows, rng, shuffled, type Matrix } from '../vector-math';

export interface Episode {
  train: TrainingData;
  /** Held-out faces of people still labelled, with their class in `train.classes` order. */
  known: { x: Matrix; y: Int32Array };
  /** Faces of the hidden people. */
  unknown: Matrix;
}

function concat(a: Matrix, b: Matrix): Matrix {
  const out = matrix(a.rows + b.rows, a.cols);
  out.data.set(a.data);
  out.data.set(b.data, a.data.length);
  return out;
}

/** Whether there is enough labelled data for episodes at all: two people with two faces each. */
export function canValidate(data: TrainingData): boolean {
  const counts = new Map<number, number>();
  for (const c of data.y) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].filter((n) => n >= 2).length >= 2;
}

/**
 * Episode `index` of `count`: people are shuffled once (by seed) and dealt into `count` folds; fold
 * `index` is hidden, so across the episodes every labelled person plays the stranger once. Each other
 * person's faces are shuffled once too and a rotating fifth is held out, so different faces are held out
 * in different episodes. With fewer than three people nobody can be hidden (two names are needed).
 */
export function makeEpisode(data: TrainingData, index: number, seed: number, count = 4): Episode {
  const random = rng(seed * 7919 + 1);
  const K = data.classes.length;
  const order = shuffled(
    Array.from({ length: K }, (_, c) => c),
    random,
  );
  const folds = Math.min(count, Math.max(1, Math.floor(K / 2)));
  const hidden = new Set(K >= 3 ? order.filter((_, i) => i % folds === index % folds) : []);
  if (K - hidden.size < 2) hidden.clear();
  const kept = Array.from({ length: K }, (_, c) => c).filter((c) => !hidden.has(c));
  const remap = new Map(kept.map((c, i) => [c, i]));
  const byClass = new Map<number, number[]>();
  data.y.forEach((c, i) => byClass.set(c, [...(byClass.get(c) ?? []), i]));

  const trainRows: number[] = [];
  const trainY: number[] = [];
  const heldRows: number[] = [];
  const heldY: number[] = [];
  const hiddenRows: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = shuffled(byClass.get(c)!, random);
    if (hidden.has(c)) {
      hiddenRows.push(...rows);
      continue;
    }
    const held = rows.length >= 2 ? Math.max(1, Math.round(rows.length / 5)) : 0;
    const start = (index * held) % rows.length;
    rows.forEach((r, i) => {
      if ((i - start + rows.length) % rows.length < held) {
        heldRows.push(r);
        heldY.push(remap.get(c)!);
      } else {
        trainRows.push(r);
        trainY.push(remap.get(c)!);
      }
    });
  }
  const negKeep: number[] = [];
  data.negatives.cls.forEach((c, i) => {
    if (remap.has(c)) negKeep.push(i);
  });
  const held = pickRows(data.x, heldRows);
  const hiddenX = pickRows(data.x, hiddenRows);
  return {
    train: {
      dim: data.dim,
      classes: kept.map((c) => data.classes[c]!),
      x: pickRows(data.x, trainRows),
      y: Int32Array.from(trainY),
      negatives: {
        x: pickRows(data.negatives.x, negKeep),
        cls: Int32Array.from(negKeep.map((i) => remap.get(data.negatives.cls[i]!)!)),
      },
      cannotLink: data.cannotLink,
      unlabelled: concat(concat(data.unlabelled, held), hiddenX),
      mean: data.mean,
    },
    known: { x: held, y: Int32Array.from(heldY) },
    unknown: hiddenX,
  };
}
