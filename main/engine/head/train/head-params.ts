/**
 * A trained head's parameters, from the kept weights, with each kind of prototypes:
 * - centroid: each person's confirmed faces averaged in the head's space;
 * - weights: the class weights the margin loss learned (k sub-centres each for sub-center ArcFace);
 * - blend: each learned sub-centre averaged with the person's centroid, an ensemble of the head with
 *   the centroid baseline.
 * All three share the transform and the background prototypes (fitted once: the costly part), so the
 * guard can compare them on the same validation faces for the price of one training run.
 */
import { fitBackground, backgroundCount, type BackgroundOptions } from './background-prototypes';
import { attachThresholdFor, classRepresentatives, transform, type HeadParams } from '../model';
import type { PrototypeMode, TrainSettings, TrainingData } from './train-settings';
import { classSums, matrix, normalisedRows, normaliseInPlace, row, type Matrix } from '../vector-math';

export interface KeptWeights {
  mean: Float32Array;
  a: Float32Array;
  b: Float32Array;
  /**
   * Class weights, class-major with k sub-centres each (then any pseudo-classes, ignored here); null
   * for a loss that learns none (triplet): its 'weights' and 'blend' prototypes are the centroids.
   */
  w: Float32Array | null;
  k: number;
}

export function headVariants(
  data: TrainingData,
  st: TrainSettings,
  w: KeptWeights,
  bg: BackgroundOptions,
): Record<PrototypeMode, HeadParams> {
  const d = data.dim;
  const K = data.classes.length;
  const r = st.rank;
  const core = {
    dim: d,
    rank: r,
    mean: w.mean,
    a: r > 0 ? w.a : new Float32Array(0),
    b: r > 0 ? w.b : new Float32Array(0),
  };
  const sums = classSums(transform(core, data.x), data.y, K);
  const centroids = normalisedRows(sums);
  const learned = w.w ? normalisedRows(matrix(K * w.k, d, w.w.slice(0, K * w.k * d))) : centroids;
  const blended = matrix(K * w.k, d, learned.data.slice());
  for (let c = 0; c < K; c++) {
    for (let j = 0; j < w.k; j++) {
      const v = row(blended, c * w.k + j);
      const m = row(centroids, c);
      for (let t = 0; t < d; t++) v[t]! += m[t]!;
      normaliseInPlace(v);
    }
  }
  let background = matrix(0, d);
  if (st.background && data.unlabelled.rows > 0) {
    const fu = transform(core, data.unlabelled);
    background = fitBackground(fu, centroids, sums, backgroundCount(fu.rows, K, bg), bg);
  }
  const make = (prototypes: Matrix, subCentres: number): HeadParams => {
    const p: HeadParams = {
      ...core,
      classes: data.classes,
      subCentres,
      prototypes,
      background,
      backgroundWeight: st.background ? st.backgroundWeight : 0,
      attachThreshold: 1,
    };
    return { ...p, attachThreshold: attachThresholdFor(classRepresentatives(p)) };
  };
  return { centroid: make(centroids, 1), weights: make(learned, w.k), blend: make(blended, w.k) };
}
