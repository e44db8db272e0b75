/**
 * The two comparison losses of the ArcFace paper that are not margin softmaxes. Both act on the faces
 * after the head's transform (f = normalise(x̃ + x̃·A·B), model.ts), so they need a residual to train
 * (see FEATURE_LOSS_RANK in losses.ts); everything else (rows, weights, extra terms, guard,
 * calibration) is the trainer's, shared with the margin losses, so a comparison is only about the loss.
 *
 * Triplet loss (Schroff et al., FaceNet): for an anchor a, a face p of the same person and a face n of
 * another, with squared distances d(a,p) = ‖f_a − f_p‖², the loss is max(0, d(a,p) − d(a,n) + α): every
 * other person must be at least α farther from the anchor than the anchor's own faces.
 * - α (LossSettings.m) = 0.2 as in FaceNet, on unit-length faces whose squared distances run 0…4.
 * - Mining: only **semi-hard** triplets are used, d(a,p) < d(a,n) < d(a,p) + α: the negative is already
 *   farther than the positive (so the triplet is not one of the "hard" ones FaceNet found to collapse
 *   training early on) but still inside the margin (so it still has something to teach). Every such
 *   triplet of the batch is used (not one per pair), each weighted by its anchor's class-balance weight.
 *   Triplets that are easy (outside the margin) or hard (negative closer than the positive) are not.
 *   The paper's criticism is visible here: a batch of N faces holds Σ_c n_c·(n_c − 1)·(N − n_c) triplets
 *   (cubic in the data), and each step learns only from the few that are semi-hard.
 * - Batches are capped at TRIPLET_BATCH faces: mining looks at every (anchor, positive, negative) of a
 *   batch, which for a whole large library at once would be billions of triplets per step.
 *
 * Centre loss (Wen et al.): the normalised softmax (ψ = cosθ, losses.ts) plus λ·½‖f_i − c_{y_i}‖², the
 * squared distance of each face to a centre kept per class, pulling each person's faces together in
 * Euclidean space while the softmax keeps the people apart.
 * - λ (LossSettings.centreWeight): how much compactness counts against separation.
 * - α (LossSettings.centreRate): the centres are not trained by the gradient but moved after each step a
 *   fraction α of the way toward their faces in the batch, c_j ← c_j − α·Σ_{i:y_i=j}(c_j − f_i)/(1 + n_j)
 *   (Wen et al.'s rule: the 1 + n_j keeps a class seen once from jumping onto that one face). Small α:
 *   stable but slow centres; α = 1 jumps to the batch mean.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Faces per triplet batch (see the header). */
export const TRIPLET_BATCH = 512;

/** Squared Euclidean distances between the rows of an n×d row-major matrix, from its Gram matrix. */
export function squaredDistances(gram: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) out[i * n + j] = gram[i * n + i]! + gram[j * n + j]! - 2 * gram[i * n + j]!;
  return out;
}

export interface Triplets {
  /** Anchor, positive, negative row indices: triplet t is (a[t], p[t], n[t]). */
  a: Int32Array;
  p: Int32Array;
  n: Int32Array;
  /** Every (anchor, positive, negative) the batch holds, before mining. */
  possible: number;
}

/** Σ_c n_c·(n_c − 1)·(N − n_c): every (anchor, positive, negative) among rows labelled y. */
export function possibleTriplets(y: Int32Array): number {
  const counts = new Map<number, number>();
  for (const c of y) counts.set(c, (counts.get(c) ?? 0) + 1);
  let total = 0;
  for (const n of counts.values()) total += n * (n - 1) * (y.length - n);
  return total;
}

/** Every semi-hard triplet of a batch: d(a,p) < d(a,n) < d(a,p) + margin (see the header). */
export function semiHardTriplets(dist: Float32Array, labels: Int32Array, margin: number): Triplets {
  const N = labels.length;
  const a: number[] = [];
  const p: number[] = [];
  const n: number[] = [];
  let possible = 0;
  const negatives: number[] = [];
  for (let i = 0; i < N; i++) {
    negatives.length = 0;
    for (let k = 0; k < N; k++) if (labels[k] !== labels[i]) negatives.push(k);
    for (let j = 0; j < N; j++) {
      if (j === i || labels[j] !== labels[i]) continue;
      possible += negatives.length;
      const dap = dist[i * N + j]!;
      for (const k of negatives) {
        const dan = dist[i * N + k]!;
        if (dan > dap && dan < dap + margin) {
          a.push(i);
          p.push(j);
          n.push(k);
        }
      }
    }
  }
  return { a: Int32Array.from(a), p: Int32Array.from(p), n: Int32Array.from(n), possible };
}

/**
 * Semi-hard triplet loss of a batch of faces f (n×d), mining on their current distances:
 * Σ_t w_{a_t}·(d(a_t,p_t) − d(a_t,n_t) + α) / Σ_t w_{a_t} over the mined triplets (each of which is
 * inside the hinge, so no max is needed), 0 when none is mined. Written as Σ_ij C_ij·d(i,j) + α with
 * d(i,j) = ‖f_i‖² + ‖f_j‖² − 2 f_i·f_j and C the triplets' constant coefficients, so the gradient is one
 * n×n product whatever the number of triplets.
 */
export function tripletLoss(
  f: tf.Tensor2D,
  labels: Int32Array,
  weights: Float32Array,
  margin: number,
): { loss: tf.Scalar; triplets: Triplets } {
  const n = f.shape[0];
  const G = tf.matMul(f, f, false, true);
  const triplets = semiHardTriplets(squaredDistances(G.dataSync() as Float32Array, n), labels, margin);
  const C = new Float32Array(n * n);
  let total = 0;
  for (let t = 0; t < triplets.a.length; t++) total += weights[triplets.a[t]!]!;
  for (let t = 0; t < triplets.a.length; t++) {
    const a = triplets.a[t]!;
    const w = weights[a]! / total;
    C[a * n + triplets.p[t]!]! += w;
    C[a * n + triplets.n[t]!]! -= w;
  }
  // Σ_ij C_ij(‖f_i‖² + ‖f_j‖²) = Σ_i ‖f_i‖²·(row sum + column sum of C)_i.
  const sums = new Float32Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      sums[i]! += C[i * n + j]!;
      sums[j]! += C[i * n + j]!;
    }
  const loss = tf.tidy(() => {
    const norms = tf.sum(tf.mul(tf.sum(tf.square(f), 1), tf.tensor1d(sums)));
    const cross = tf.mul(tf.sum(tf.mul(G, tf.tensor2d(C, [n, n]))), -2);
    return tf.add<tf.Scalar>(tf.add(norms, cross), triplets.a.length ? margin : 0);
  });
  G.dispose();
  return { loss, triplets };
}

/**
 * The centre term λ·½·Σ_i w_i‖f_i − c_{y_i}‖² / Σ_i w_i (weights: class balance, as the softmax's).
 * centres (K×d) are constants here: they move by centreUpdate, not by the gradient.
 */
export function centreTerm(
  f: tf.Tensor2D,
  centres: tf.Tensor2D,
  labels: tf.Tensor1D,
  weights: tf.Tensor1D,
  lambda: number,
): tf.Scalar {
  return tf.tidy(() => {
    const own = tf.gather(centres, labels);
    const sq = tf.sum(tf.square(tf.sub(f, own)), 1);
    return tf.mul<tf.Scalar>(tf.div(tf.sum(tf.mul(sq, weights)), tf.sum(weights)), lambda / 2);
  });
}

/** Wen et al.'s centre step, in place: c_j ← c_j − α·Σ_{i:y_i=j}(c_j − f_i)/(1 + n_j). */
export function centreUpdate(
  centres: Float32Array,
  f: Float32Array,
  labels: Int32Array,
  d: number,
  alpha: number,
): void {
  const K = centres.length / d;
  const delta = new Float64Array(K * d);
  const count = new Int32Array(K);
  labels.forEach((c, i) => {
    count[c]!++;
    for (let t = 0; t < d; t++) delta[c * d + t]! += centres[c * d + t]! - f[i * d + t]!;
  });
  for (let c = 0; c < K; c++) {
    if (!count[c]) continue;
    for (let t = 0; t < d; t++) centres[c * d + t]! -= (alpha * delta[c * d + t]!) / (1 + count[c]!);
  }
}
