/**
 * The rows a head trains on: confirmed faces weighted so every person counts the same in total (class
 * balance for people with few faces), optionally followed by background pseudo-classes (never-labelled
 * faces nearest a free cluster, as extra classes: "someone else"), and the class weights' start values.
 */
import { backgroundCount, fitBackground, type BackgroundOptions } from './background-prototypes';
import { tfGram } from './fast-matmul';
import type { TrainSettings } from './train-settings';
import {
  argmaxRows,
  classSums,
  concatRows,
  gram,
  matrix,
  normalisedRows,
  rng,
  row,
  shuffled,
  type Matrix,
} from '../vector-math';

/** Share of the loss the background pseudo-classes carry when used (the confirmed faces carry 1). */
const BACKGROUND_SHARE = 0.5;
const MAX_BACKGROUND_SAMPLES = 1500;

/** Background pseudo-classes: unlabelled faces nearest a free cluster, labelled K + cluster. */
function backgroundSamples(
  u: Matrix,
  anchors: Matrix,
  sums: Matrix,
  st: TrainSettings,
): { centres: Matrix; x: Matrix; y: Int32Array } {
  const d = u.cols;
  const K = anchors.rows;
  const count = backgroundCount(u.rows, K, backgroundOptions(st));
  const centres = fitBackground(u, anchors, sums, count, backgroundOptions(st));
  if (centres.rows === 0) return { centres, x: matrix(0, d), y: new Int32Array(0) };
  const nearest = argmaxRows(gram(u, concatRows(anchors, centres)));
  let picked: number[] = [];
  for (let i = 0; i < u.rows; i++) if (nearest.index[i]! >= K) picked.push(i);
  if (picked.length > MAX_BACKGROUND_SAMPLES) {
    picked = shuffled(picked, rng(st.seed + 7)).slice(0, MAX_BACKGROUND_SAMPLES);
  }
  const x = matrix(picked.length, d);
  const y = new Int32Array(picked.length);
  picked.forEach((r, i) => {
    x.data.set(row(u, r), i * d);
    y[i] = nearest.index[r]!;
  });
  return { centres, x, y };
}

/** Background clustering settings for training: TF.js products (10× the plain-JS loop on wasm). */
export function backgroundOptions(st: TrainSettings): BackgroundOptions {
  return {
    facesPerCluster: st.facesPerCluster,
    maxClusters: 512,
    iterations: 10,
    seed: st.seed,
    gram: tfGram,
  };
}

/** Class weights initialised at each class's centroid; extra sub-centres start a little apart. */
export function initialWeights(centres: Matrix, k: number, st: TrainSettings): Float32Array {
  const d = centres.cols;
  const random = rng(st.seed + 3);
  const w = new Float32Array(centres.rows * k * d);
  if (st.init === 'random') return w.map(() => random() - 0.5);
  for (let c = 0; c < centres.rows; c++) {
    for (let j = 0; j < k; j++) {
      const o = (c * k + j) * d;
      for (let t = 0; t < d; t++)
        w[o + t] = centres.data[c * d + t]! + (j === 0 ? 0 : (random() - 0.5) * 0.02);
    }
  }
  return w;
}

export interface TrainingRows {
  trainX: Matrix;
  trainY: Int32Array;
  weights: Float32Array;
  /** Start values of the class weights (people, then pseudo-classes). */
  initCentres: Matrix;
  classCount: number;
}

/** x0: confirmed faces in the head's input space (class y); u0: never-labelled faces, same space. */
export function trainingRows(
  x0: Matrix,
  y: Int32Array,
  K: number,
  u0: Matrix,
  st: TrainSettings,
): TrainingRows {
  const sums0 = classSums(x0, y, K);
  const anchors0 = normalisedRows(sums0);
  const bg = st.backgroundClasses ? backgroundSamples(u0, anchors0, sums0, st) : null;
  const counts = new Int32Array(K);
  for (const c of y) counts[c]!++;
  const nBg = bg?.x.rows ?? 0;
  const trainX = bg ? concatRows(x0, bg.x) : x0;
  const trainY = new Int32Array(trainX.rows);
  const weights = new Float32Array(trainX.rows);
  y.forEach((c, i) => {
    trainY[i] = c;
    weights[i] = 1 / (K * counts[c]!);
  });
  for (let i = 0; i < nBg; i++) {
    trainY[x0.rows + i] = bg!.y[i]!;
    weights[x0.rows + i] = BACKGROUND_SHARE / nBg;
  }
  return {
    trainX,
    trainY,
    weights,
    initCentres: bg ? concatRows(anchors0, bg.centres) : anchors0,
    classCount: K + (bg?.centres.rows ?? 0),
  };
}
