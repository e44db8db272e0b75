/**
 * The models a head is compared with, on the frozen embeddings: nearest centroid (the baseline the
 * guard protects; also what recognition uses when no head is active), k-nearest neighbours and a
 * linear probe (softmax regression). Each is a scorer: faces in, one score per labelled person out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './losses';
import { identityParams, score } from '../model';
import { registerGradients } from './tf-gradients';
import { centroids, gram, matrix, type Matrix } from '../vector-math';

export type Scorer = (x: Matrix) => Matrix;

/** Cosine to each person's normalised mean embedding. */
export function centroidScorer(x: Matrix, y: Int32Array, classes: number[]): Scorer {
  const params = identityParams(x.cols, classes, centroids(x, y, classes.length));
  return (q) => score(params, q);
}

/** Mean of the k best cosines to each person's faces (k = 3, fewer when a person has fewer faces). */
export function knnScorer(x: Matrix, y: Int32Array, K: number, k = 3): Scorer {
  return (q) => {
    const sims = gram(q, x);
    const out = matrix(q.rows, K);
    for (let i = 0; i < q.rows; i++) {
      const perClass: number[][] = Array.from({ length: K }, () => []);
      for (let j = 0; j < x.rows; j++) perClass[y[j]!]!.push(sims.data[i * x.rows + j]!);
      for (let c = 0; c < K; c++) {
        const top = perClass[c]!.sort((a, b) => b - a).slice(0, k);
        out.data[i * K + c] = top.length ? top.reduce((a, b) => a + b, 0) / top.length : -1;
      }
    }
    return out;
  };
}

/** Softmax regression with L2 on the raw embeddings; scores are class probabilities. */
export function linearProbe(x: Matrix, y: Int32Array, K: number, epochs = 200): Scorer {
  registerGradients();
  const d = x.cols;
  const W = tf.variable(tf.zeros([d, K]));
  const b = tf.variable(tf.zeros([K]));
  const X = tf.tensor2d(x.data, [x.rows, d]);
  const Y = oneHotFloat(tf.tensor1d(y, 'int32'), K);
  const opt = tf.train.adam(0.05);
  try {
    for (let e = 0; e < epochs; e++) {
      const cost = opt.minimize(
        () =>
          tf.tidy(() => {
            const logits = tf.add(tf.matMul(X, W), b);
            const ce = tf.mean(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), Y), 1)));
            return tf.add<tf.Scalar>(ce, tf.mul(tf.sum(tf.square(W)), 1e-3));
          }),
        true,
        [W, b],
      );
      cost?.dispose();
    }
    const w = W.dataSync().slice() as Float32Array;
    const bias = b.dataSync().slice() as Float32Array;
    return (q) => {
      const p = tf.tidy(() =>
        tf.softmax(tf.add(tf.matMul(tf.tensor2d(q.data, [q.rows, d]), tf.tensor2d(w, [d, K])), bias)),
      );
      const out = matrix(q.rows, K, p.dataSync() as Float32Array);
      p.dispose();
      return out;
    };
  } finally {
    tf.dispose([W, b, X, Y]);
    opt.dispose();
  }
}
