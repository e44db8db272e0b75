/**
 * Matrix products for training whose gradients avoid matMul's transpose flags on WebAssembly.
 * Measured in this repo's environment (743×512 by 47×512, tfjs-backend-wasm 4.22): matMul(a, b, false,
 * true) took 38.7 ms and matMul(a, b, true, false) 65 ms, while an explicit transpose followed by a
 * plain matMul took 6.4 ms and 3.1 ms; backprop through a product uses exactly those flagged forms. So on
 * wasm the products and their gradients transpose explicitly; other backends keep the flags (on the
 * plain-JS backend explicit transposes were slower).
 */
import * as tf from '@tensorflow/tfjs-core';
import { matrix, type Matrix } from '../vector-math';

const explicit = () => tf.getBackend() === 'wasm';

function product(a: tf.Tensor2D, b: tf.Tensor2D, ta: boolean, tb: boolean): tf.Tensor2D {
  if (!explicit()) return tf.matMul(a, b, ta, tb);
  return tf.matMul(ta ? tf.transpose(a) : a, tb ? tf.transpose(b) : b);
}

/** a·b with gradients dA = dy·bᵀ, dB = aᵀ·dy. */
export const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: product(a, b, false, false),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      product(dy as tf.Tensor2D, saved[1] as tf.Tensor2D, false, true),
      product(saved[0] as tf.Tensor2D, dy as tf.Tensor2D, true, false),
    ],
  };
}) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** a·bᵀ with gradients dA = dy·b, dB = dyᵀ·a. */
export const matMulT = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: product(a, b, false, true),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      product(dy as tf.Tensor2D, saved[1] as tf.Tensor2D, false, false),
      product(dy as tf.Tensor2D, saved[0] as tf.Tensor2D, true, false),
    ],
  };
}) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * a·bᵀ where a is a constant (frozen embeddings, rank-0 heads): the gradient op closes over a and takes
 * only b, so neither dA (a matmul) nor a zero tensor the size of a is ever made.
 */
export function matMulTConstA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [w, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([w]);
    return {
      value: product(a, w, false, true),
      gradFunc: (dy: tf.Tensor) => [product(dy as tf.Tensor2D, a, true, false)],
    };
  }) as unknown as (w: tf.Tensor2D) => tf.Tensor2D;
  return op(b);
}

/** A·Bᵀ of plain matrices on the active TF.js backend (clustering and recognition in the worker). */
export function tfGram(a: Matrix, b: Matrix): Matrix {
  if (a.rows === 0 || b.rows === 0) return matrix(a.rows, b.rows);
  const t = tf.tidy(() =>
    tf.matMul(tf.tensor2d(a.data, [a.rows, a.cols]), tf.transpose(tf.tensor2d(b.data, [b.rows, b.cols]))),
  );
  const out = matrix(a.rows, b.rows, t.dataSync() as Float32Array);
  t.dispose();
  return out;
}
