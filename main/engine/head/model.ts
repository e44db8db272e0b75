/**
 * A trained head, as data: what it does to an embedding and the prototypes it scores against.
 * [Note: the head is a transform] The head does not just learn class weights; it learns a map of the
 * embedding space, f(x) = normalise(x̃ + x̃·A·B) with x̃ = normalise(x − μ):
 * - μ is the library's mean embedding. Every face in a library shares a component (camera, ethnicity,
 *   era) that inflates all cosines; removing it spreads faces apart for labelled and unlabelled people
 *   alike, which is why it also helps open-set rejection and unseen-people verification.
 * - A (d×r) and B (r×d) are a low-rank residual trained with a margin loss and pulled toward identity
 *   (B starts at zero, weight decay on both), so with few labels it cannot wander far from a space the
 *   backbone already made good; a full d×d adapter overfits (the issue measured it).
 * Faces are then scored by cosine to per-person prototypes in the learned space, with background
 * prototypes for open-set rejection (see [Note: background prototypes] in background.ts).
 * Applying a head is plain JavaScript (no TF.js), so recognition does not depend on a backend.
 */
import { gram, matrix, normaliseInPlace, row, type Matrix } from './vector-math';

export interface HeadParams {
  dim: number;
  rank: number;
  /** Library mean embedding removed before everything else (zeros = no centring). */
  mean: Float32Array;
  /** d×r and r×d, row-major; rank 0 = no residual. */
  a: Float32Array;
  b: Float32Array;
  /** Person id of each class, in class order. */
  classes: number[];
  /** Prototypes per class (sub-centres); rows class-major: class c owns rows c·k … c·k+k−1. */
  subCentres: number;
  prototypes: Matrix;
  /** Background prototypes (never-labelled clusters). */
  background: Matrix;
  /** Weight of the background penalty in the score. */
  backgroundWeight: number;
  /**
   * A background prototype at least this similar to a person's prototype is that person's own
   * sub-group, not a stranger: it never penalises that person (see [Note: background prototypes]).
   */
  attachThreshold: number;
}

/** The identity head: raw embeddings, no centring; scoring against `prototypes` alone. */
export function identityParams(dim: number, classes: number[], prototypes: Matrix): HeadParams {
  return {
    dim,
    rank: 0,
    mean: new Float32Array(dim),
    a: new Float32Array(0),
    b: new Float32Array(0),
    classes,
    subCentres: 1,
    prototypes,
    background: matrix(0, dim),
    backgroundWeight: 0,
    attachThreshold: 1,
  };
}

/** f(x) for every row of x (see [Note: the head is a transform]). */
export function transform(p: Pick<HeadParams, 'dim' | 'rank' | 'mean' | 'a' | 'b'>, x: Matrix): Matrix {
  const d = p.dim;
  const r = p.rank;
  const out = matrix(x.rows, d);
  const h = new Float64Array(r);
  for (let i = 0; i < x.rows; i++) {
    const xi = out.data.subarray(i * d, (i + 1) * d);
    for (let k = 0; k < d; k++) xi[k] = x.data[i * d + k]! - p.mean[k]!;
    normaliseInPlace(xi);
    if (r > 0) {
      h.fill(0);
      for (let k = 0; k < d; k++) {
        const v = xi[k]!;
        if (v === 0) continue;
        const ao = k * r;
        for (let j = 0; j < r; j++) h[j]! += v * p.a[ao + j]!;
      }
      const res = new Float64Array(d);
      for (let j = 0; j < r; j++) {
        const hj = h[j]!;
        const bo = j * d;
        for (let k = 0; k < d; k++) res[k]! += hj * p.b[bo + k]!;
      }
      for (let k = 0; k < d; k++) xi[k]! += res[k]!;
      normaliseInPlace(xi);
    }
  }
  return out;
}

/** A·Bᵀ. Plain JS by default; the head worker passes a TF.js one (far faster on large libraries). */
export type Product = (a: Matrix, b: Matrix) => Matrix;

/** Best sub-centre cosine per class: n×K from n×(K·k). */
export function classCosines(p: HeadParams, f: Matrix, product: Product = gram): Matrix {
  const k = p.subCentres;
  const all = product(f, p.prototypes);
  if (k === 1) return all;
  const K = p.classes.length;
  const out = matrix(f.rows, K);
  for (let i = 0; i < f.rows; i++) {
    for (let c = 0; c < K; c++) {
      let best = -Infinity;
      for (let j = 0; j < k; j++) best = Math.max(best, all.data[i * all.cols + c * k + j]!);
      out.data[i * K + c] = best;
    }
  }
  return out;
}

/** One unit vector per class: the normalised mean of its sub-centres. */
export function classRepresentatives(p: HeadParams): Matrix {
  const K = p.classes.length;
  const k = p.subCentres;
  const out = matrix(K, p.dim);
  for (let c = 0; c < K; c++) {
    const v = out.data.subarray(c * p.dim, (c + 1) * p.dim);
    for (let j = 0; j < k; j++) {
      const o = (c * k + j) * p.dim;
      for (let t = 0; t < p.dim; t++) v[t]! += p.prototypes.data[o + t]!;
    }
    normaliseInPlace(v);
  }
  return out;
}

/**
 * The highest background prototype similarity among two people's prototypes that still counts as two
 * different people: the closest pair of labelled people. A background cluster closer than that to a
 * person is more likely a sub-group of that person (another age, a beard, lighting) than a stranger.
 */
export function attachThresholdFor(representatives: Matrix): number {
  const sims = gram(representatives, representatives);
  let max = -1;
  for (let i = 0; i < sims.rows; i++)
    for (let j = 0; j < sims.cols; j++) if (i !== j) max = Math.max(max, sims.data[i * sims.cols + j]!);
  return sims.rows > 1 ? max : 1;
}

/**
 * Scores of transformed faces `f` for every class: the class cosine, lowered by how much closer the
 * face is to a background prototype that is not the class's own (see [Note: background prototypes]).
 */
export function scoreTransformed(p: HeadParams, f: Matrix, product: Product = gram): Matrix {
  const cos = classCosines(p, f, product);
  if (p.background.rows === 0 || p.backgroundWeight === 0) return cos;
  const bg = product(f, p.background);
  const K = cos.cols;
  const M = bg.cols;
  // Clusters attached to each class (its own sub-groups): usually none or a few.
  const reps = gram(p.background, classRepresentatives(p));
  const attached: Set<number>[] = Array.from({ length: K }, () => new Set());
  for (let j = 0; j < M; j++) {
    for (let c = 0; c < K; c++) if (reps.data[j * K + c]! >= p.attachThreshold) attached[c]!.add(j);
  }
  // A class's penalty uses the best cluster not attached to it: among a face's top T clusters, with T one
  // more than any class's attached count, there always is one (or there are no other clusters at all).
  const T = Math.min(M, 1 + Math.max(0, ...attached.map((a) => a.size)));
  const top = new Int32Array(T);
  for (let i = 0; i < f.rows; i++) {
    const sims = bg.data.subarray(i * M, (i + 1) * M);
    let n = 0;
    for (let j = 0; j < M; j++) {
      const v = sims[j]!;
      if (n < T) n++;
      else if (v <= sims[top[T - 1]!]!) continue;
      let at = n - 1;
      while (at > 0 && sims[top[at - 1]!]! < v) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = j;
    }
    for (let c = 0; c < K; c++) {
      let b = -Infinity;
      for (let t = 0; t < n; t++) {
        if (!attached[c]!.has(top[t]!)) {
          b = sims[top[t]!]!;
          break;
        }
      }
      const s = cos.data[i * K + c]!;
      cos.data[i * K + c] = s - p.backgroundWeight * Math.max(0, b - s);
    }
  }
  return cos;
}

/** Scores of raw embeddings for every class (n×K). */
export function score(p: HeadParams, x: Matrix, product: Product = gram): Matrix {
  return scoreTransformed(p, transform(p, x), product);
}

export function rowsOf(m: Matrix): Float32Array[] {
  return Array.from({ length: m.rows }, (_, i) => row(m, i));
}
