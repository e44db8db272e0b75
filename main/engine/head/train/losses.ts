/**
 * Margin losses on cosine logits. Every loss here takes cosθ between (transformed) embeddings and class
 * weights, replaces the target class's cosθ with a margin function ψ(θ), scales by s and applies softmax
 * cross-entropy:
 *   softmax     ψ = cosθ                      (normalised softmax, no margin)
 *   sphereface  ψ = (-1)^k cos(mθ) − 2k, k = ⌊mθ/π⌋   (multiplicative angular margin, kept monotonic)
 *   cosface     ψ = cosθ − m                  (additive cosine margin)
 *   arcface     ψ = cos(θ + m)                (additive angular margin)
 *   combined    ψ = cos(m1·θ + m2) − m3
 *   subcenter   arcface on the best of k sub-centres per class (max over sub-centres before the margin)
 * and the two losses the ArcFace paper compares against that are not margin softmaxes (metric-losses.ts):
 *   triplet     FaceNet's triplet loss with semi-hard mining, on the transformed faces (no class weights)
 *   center      normalised softmax (ψ = cosθ) + λ·distance of each face to its learned class centre
 * [Note: the θ+m>π guard] cos(θ+m) stops decreasing once θ+m passes π, so a badly misclassified sample
 * would be pushed the wrong way. ArcFace therefore uses the InsightFace fallback: where θ > π−m (cosθ <
 * cos(π−m)), ψ = cosθ − m·sin(m), a monotone stand-in ("th-mm"); with easyMargin the margin is only
 * applied where cosθ > 0. The combined form falls back past θmax = (π−m2)/m1 to the continuous,
 * monotone ψ = cosθ − cos(θmax) − 1 − m3.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { lossKindSchema } from '../../../api/head';

/** The losses, as the contract lists them (lossKindSchema in main/api/head.ts). */
export const lossKinds = lossKindSchema.options;
export type LossKind = z.infer<typeof lossKindSchema>;

/**
 * Losses that act on the transformed faces themselves rather than only on class weights. With no
 * transform (rank 0) the faces are constants and these would learn nothing (triplet) or nothing beyond
 * softmax (center), so they always train the residual: at FEATURE_LOSS_RANK when settings say rank 0.
 */
export const FEATURE_LOSS_RANK = 32;
export const needsTransform = (kind: LossKind): boolean => kind === 'triplet' || kind === 'center';
/** The rank a head is actually trained with (see FEATURE_LOSS_RANK). */
export const effectiveRank = (kind: LossKind, rank: number): number =>
  rank === 0 && needsTransform(kind) ? FEATURE_LOSS_RANK : rank;

export interface LossSettings {
  kind: LossKind;
  /** Logit scale. */
  s: number;
  /**
   * Margin: angular (arcface, subcenter), cosine (cosface), multiplicative (sphereface), or for triplet
   * how much farther (in squared distance between unit faces, 2 − 2cos) every other person's face must
   * be from the anchor than the anchor's own face.
   */
  m: number;
  /** Combined margin cos(m1·θ + m2) − m3. */
  m1: number;
  m2: number;
  m3: number;
  /** ArcFace "easy margin": apply the margin only where cosθ > 0. */
  easyMargin: boolean;
  /** Sub-centres per class (subcenter only; 1 otherwise). */
  subCentres: number;
  /** center: λ, the weight of the centre-distance term next to the softmax (0 for every other loss). */
  centreWeight: number;
  /** center: α, the fraction of the way each class centre moves toward its batch faces per step. */
  centreRate: number;
}

/** Defaults from the papers, scaled for few-shot: s=30 (the reference head), margins as published. */
export function defaultLoss(kind: LossKind = 'arcface'): LossSettings {
  const base = {
    kind,
    s: 30,
    m1: 1,
    m2: 0,
    m3: 0,
    easyMargin: false,
    subCentres: 1,
    centreWeight: 0,
    centreRate: 0,
  };
  switch (kind) {
    case 'softmax':
      return { ...base, m: 0 };
    case 'triplet':
      // FaceNet's α = 0.2 on unit-length faces (squared distances run 0…4).
      return { ...base, m: 0.2 };
    case 'center':
      // Wen et al.'s α = 0.5 and λ = 0.003. Their λ weighs squared distances between unnormalised
      // features; a normalised softmax with scale s is a plain softmax on features of length s, whose
      // squared distances are s² times those of the unit faces here, so λ = 0.003·s² (2.7 at s = 30).
      return { ...base, m: 0, centreWeight: 0.003 * base.s ** 2, centreRate: 0.5 };
    case 'sphereface':
      return { ...base, m: 1.35 };
    case 'cosface':
      return { ...base, m: 0.35 };
    case 'arcface':
      return { ...base, m: 0.5 };
    case 'combined':
      return { ...base, m: 0.3, m1: 1, m2: 0.3, m3: 0.2 };
    case 'subcenter':
      return { ...base, m: 0.5, subCentres: 3 };
  }
}

const EPS = 1e-6;

/**
 * One-hot rows as float32. Cast from the int32 one-hot: tfjs-backend-wasm 4.22's OneHot ignores a
 * float32 dtype and writes integer bits (1 reads back as 1.4e-45), which silently zeroes every loss.
 */
export function oneHotFloat(labels: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(labels, depth), 'float32') as tf.Tensor2D;
}

/**
 * Elementwise choice by a comparison, written as arithmetic: tfjs has no gradient for comparison ops,
 * so `where(greater(...))` fails on the tape, while step() has a zero gradient.
 */
function selectAbove(x: tf.Tensor, threshold: number, above: tf.Tensor, below: tf.Tensor): tf.Tensor {
  const mask = tf.step(tf.sub(x, threshold));
  return tf.add(tf.mul(mask, above), tf.mul(tf.sub(1, mask), below));
}

/** θ = acos(cosθ), clipped so the gradient stays finite at ±1. */
function angle(cos: tf.Tensor): tf.Tensor {
  return tf.acos(tf.clipByValue(cos, -1 + EPS, 1 - EPS));
}

/** ψ(θ) for the target class, elementwise on cosθ, before scaling. */
export function marginTarget(cos: tf.Tensor, st: LossSettings): tf.Tensor {
  return tf.tidy(() => {
    switch (st.kind) {
      case 'softmax':
      case 'center':
      case 'triplet': // never asked: triplet has no class logits
        return cos.clone();
      case 'cosface':
        return tf.sub(cos, st.m);
      case 'arcface':
      case 'subcenter': {
        const c = tf.clipByValue(cos, -1 + EPS, 1 - EPS);
        const sin = tf.sqrt(tf.sub(1, tf.square(c)));
        const phi = tf.sub(tf.mul(c, Math.cos(st.m)), tf.mul(sin, Math.sin(st.m)));
        if (st.easyMargin) return selectAbove(c, 0, phi, c);
        const th = Math.cos(Math.PI - st.m);
        const mm = Math.sin(Math.PI - st.m) * st.m;
        return selectAbove(c, th, phi, tf.sub(c, mm));
      }
      case 'sphereface': {
        const mTheta = tf.mul(angle(cos), st.m);
        const k = tf.floor(tf.div(mTheta, Math.PI));
        // (-1)^k as 1 − 2·(k mod 2); k is piecewise constant so it carries no gradient.
        const sign = tf.sub(1, tf.mul(2, tf.mod(k, 2)));
        return tf.sub(tf.mul(sign, tf.cos(mTheta)), tf.mul(2, k));
      }
      case 'combined': {
        const theta = angle(cos);
        const t = tf.add(tf.mul(theta, st.m1), st.m2);
        const thetaMax = (Math.PI - st.m2) / st.m1;
        const inside = tf.sub(tf.cos(t), st.m3);
        const beyond = tf.sub(cos, Math.cos(thetaMax) + 1 + st.m3);
        return selectAbove(theta, thetaMax, beyond, inside);
      }
    }
  });
}

/**
 * Max over sub-centres: cos has K·k columns laid out class-major (class c's sub-centres are columns
 * c·k … c·k+k−1); returns K columns.
 */
export function reduceSubCentres(cos: tf.Tensor2D, k: number): tf.Tensor2D {
  if (k <= 1) return cos;
  return tf.tidy(() => {
    const [n, kk] = cos.shape;
    return tf.max(tf.reshape(cos, [n, kk / k, k]), 2);
  });
}

/**
 * Scaled logits: s·ψ on each row's target column, s·cosθ elsewhere. labels: int32 class per row.
 * ψ is computed on the target cosines only (one per row), not on the whole n×C matrix: the margin's
 * acos/cos/sqrt would otherwise dominate a training step.
 */
export function marginLogits(
  cos: tf.Tensor2D,
  labels: tf.Tensor1D,
  st: LossSettings,
  mask: tf.Tensor2D = oneHotFloat(labels, cos.shape[1]),
): tf.Tensor2D {
  return tf.tidy(() => {
    const target = tf.sum(tf.mul(cos, mask), 1);
    const shift = tf.expandDims(tf.sub(marginTarget(target, st), target), 1);
    return tf.mul(tf.add(cos, tf.mul(mask, shift)), st.s);
  });
}

/**
 * Weighted mean softmax cross-entropy with its gradient written out, (softmax − one-hot)·w / Σw: one
 * exponential pass over the n×C logits instead of the three that logSoftmax and its generic gradient
 * take, and exponentials are what a training step spends most of its non-matmul time on.
 */
const softmaxCrossEntropy = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, target, weights, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  const p = tf.softmax(logits);
  const picked = tf.sum(tf.mul(p, target), 1);
  const total = tf.sum(weights);
  const value = tf.div(tf.sum(tf.mul(tf.neg(tf.log(tf.add(picked, 1e-30))), weights)), total);
  save([p, target, weights, total]);
  return {
    value: value as tf.Scalar,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sp, st, sw, stotal] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Scalar];
      const scale = tf.expandDims(tf.div(tf.mul(sw, dy), stotal), 1);
      return [tf.mul(tf.sub(sp, st), scale), tf.zerosLike(st), tf.zerosLike(sw)];
    },
  };
}) as unknown as (logits: tf.Tensor2D, target: tf.Tensor2D, weights: tf.Tensor1D) => tf.Scalar;

/**
 * Weighted mean softmax cross-entropy of the margin logits. Weights (one per row) carry class balance;
 * they are normalised to sum to 1.
 */
export function marginLoss(
  cos: tf.Tensor2D,
  labels: tf.Tensor1D,
  st: LossSettings,
  weights?: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const logits = marginLogits(reduceSubCentres(cos, st.subCentres), labels, st);
    const w = weights ?? tf.ones([logits.shape[0]]);
    return softmaxCrossEntropy(logits, oneHotFloat(labels, logits.shape[1]), w);
  });
}
