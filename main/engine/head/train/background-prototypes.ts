/**
 * Background prototypes: clusters of never-labelled faces that are not any labelled person.
 * [Note: background prototypes] Open-set errors come from people the user never named who look like
 * someone they did (relatives, look-alikes). In a library those people have many faces, which gather
 * into their own clusters. Spherical k-means over the unlabelled faces, with one cluster per labelled
 * person seeded at (and anchored by) that person's confirmed faces plus extra free clusters, finds
 * them; the free clusters become background prototypes. A face that is closer to a background
 * prototype than to a person's prototype is then penalised for that person (see scoring.ts), which is
 * what keeps the look-alike out while leaving genuine faces, which sit nearest their own prototype,
 * alone. Clusters are seeded k-means++ style, deterministically from a seed.
 */
import { gram, matrix, normaliseInPlace, rng, row, type Matrix } from '../vector-math';

/** A·Bᵀ; the trainer passes a TF.js one (10× the plain-JS loop on WebAssembly). */
export type Gram = (a: Matrix, b: Matrix) => Matrix;

export interface BackgroundOptions {
  /** Free clusters per unlabelled face (the expected share of faces per unseen person). */
  facesPerCluster: number;
  maxClusters: number;
  iterations: number;
  seed: number;
  gram?: Gram | undefined;
}

export const defaultBackground: BackgroundOptions = {
  facesPerCluster: 30,
  maxClusters: 512,
  iterations: 10,
  seed: 1,
};

/** How many free clusters to fit over `unlabelled` faces when `known` people are labelled. */
export function backgroundCount(unlabelled: number, known: number, opts = defaultBackground): number {
  if (unlabelled === 0) return 0;
  const wanted = Math.round(unlabelled / opts.facesPerCluster);
  return Math.min(opts.maxClusters, Math.max(known, wanted), unlabelled);
}

/**
 * Fits the background clusters. `anchors` are the labelled people's prototypes (K rows) and
 * `anchorSums` the (unnormalised) sums of their confirmed faces, which stay in their clusters.
 * Returns the M free cluster centres (normalised).
 */
export function fitBackground(
  unlabelled: Matrix,
  anchors: Matrix,
  anchorSums: Matrix,
  count: number,
  opts = defaultBackground,
): Matrix {
  const d = unlabelled.cols;
  const K = anchors.rows;
  if (count === 0 || unlabelled.rows === 0) return matrix(0, d);
  const random = rng(opts.seed);
  const product = opts.gram ?? gram;
  // k-means++ seeding of the free centres, away from the anchors and from each other.
  const dist = new Float64Array(unlabelled.rows).fill(2);
  const updateDist = (centre: Float32Array) => {
    const c = matrix(1, d, centre);
    const s = product(unlabelled, c);
    for (let i = 0; i < unlabelled.rows; i++) dist[i] = Math.min(dist[i]!, 1 - s.data[i]!);
  };
  for (let k = 0; k < K; k++) updateDist(row(anchors, k));
  const centres = matrix(K + count, d);
  centres.data.set(anchors.data);
  for (let m = 0; m < count; m++) {
    let total = 0;
    for (let i = 0; i < dist.length; i++) total += Math.max(0, dist[i]!) ** 2;
    let pick = 0;
    if (total > 0) {
      let r = random() * total;
      for (pick = 0; pick < dist.length - 1; pick++) {
        r -= Math.max(0, dist[pick]!) ** 2;
        if (r <= 0) break;
      }
    } else pick = Math.floor(random() * unlabelled.rows);
    const c = row(unlabelled, pick).slice();
    centres.data.set(c, (K + m) * d);
    updateDist(c);
  }
  for (let it = 0; it < opts.iterations; it++) {
    const sims = product(unlabelled, centres);
    const sums = matrix(K + count, d);
    sums.data.set(anchorSums.data);
    const sizes = new Int32Array(K + count);
    for (let i = 0; i < unlabelled.rows; i++) {
      let best = 0;
      let bv = -Infinity;
      for (let j = 0; j < K + count; j++) {
        const v = sims.data[i * (K + count) + j]!;
        if (v > bv) [bv, best] = [v, j];
      }
      sizes[best]!++;
      const o = best * d;
      const ro = i * d;
      for (let k = 0; k < d; k++) sums.data[o + k]! += unlabelled.data[ro + k]!;
    }
    for (let j = 0; j < K + count; j++) {
      // An empty free cluster keeps its centre; anchored clusters always have their labelled faces.
      if (j >= K && sizes[j] === 0) continue;
      centres.data.set(normaliseInPlace(row(sums, j).slice()), j * d);
    }
  }
  return matrix(count, d, centres.data.slice(K * d));
}
