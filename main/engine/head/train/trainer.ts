/**
 * Trains a head with TensorFlow.js on whatever backend is active (the worker chooses it). What is
 * learned is described in [Note: the head is a transform] (model.ts); the objective is
 *   the loss over confirmed faces (class-balanced) and over background pseudo-classes: a margin loss
 *   (losses.ts), or triplet / centre loss (metric-losses.ts), which also train the transform
 *   + rejections / same-photo faces pushed away from the person they are not
 *   + same-photo pairs of never-labelled faces pushed apart
 *   + weight decay pulling the residual toward identity,
 * with Adam, early stopping on a validation split when one is given.
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMul, matMulT, matMulTConstA } from './fast-matmul';
import { effectiveRank, marginLoss, oneHotFloat, reduceSubCentres } from './losses';
import { centreTerm, centreUpdate, possibleTriplets, TRIPLET_BATCH, tripletLoss } from './metric-losses';
import { headVariants } from './head-params';
import type { PrototypeMode } from './train-settings';
import { transform, type HeadParams } from '../model';
import { registerGradients } from './tf-gradients';
import type { EpochReport, TrainSettings, TrainingData } from './train-settings';
import { backgroundOptions, initialWeights, trainingRows } from './training-rows';
import { concatRows, meanRow, rng, row, shuffled, type Matrix } from '../vector-math';

export interface TrainResult {
  /** The head as configured (settings.prototypes; 'auto' gives the centroid one). */
  params: HeadParams;
  /** The same trained head with each kind of prototypes, for the guard to choose from. */
  variants: Record<PrototypeMode, HeadParams>;
  /** Epochs run, and the one whose weights were kept. */
  epochs: number;
  bestEpoch: number;
  /** Optimizer steps run, and steps up to the kept epoch (steps to converge). */
  steps: number;
  bestStep: number;
  /** Rank the transform was trained with (triplet and center raise 0, see FEATURE_LOSS_RANK). */
  rank: number;
  /** Triplet only: triplets in the labelled faces (one epoch), and semi-hard ones mined per step. */
  triplets: { possible: number; minedPerStep: number } | null;
  trainMs: number;
  /** Time inside the training steps only (what the FLOP count covers). */
  stepMs: number;
  /** Floating-point operations of the training steps (matmuls, forward + backward), for GFLOP/s. */
  flops: number;
  /** Training rows processed (faces/s = samples / stepMs). */
  samples: number;
  history: EpochReport[];
}

export interface TrainOptions {
  validation?: { x: Matrix; y: Int32Array } | undefined;
  onEpoch?: ((r: EpochReport) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Thrown when a run is cancelled; nothing was stored. */
export class TrainingCancelled extends Error {
  constructor() {
    super('Training was cancelled.');
    this.name = 'TrainingCancelled';
  }
}

const NEGATIVE_MARGIN = 0.2;
const CANNOT_LINK_MARGIN = 0.2;

const toTensor = (m: Matrix) => tf.tensor2d(m.data, [m.rows, m.cols]);
// x·rsqrt(Σx²): a cheaper gradient than tf.norm's (pow/abs) on every 512-wide row.
const l2 = (t: tf.Tensor2D) => tf.mul<tf.Tensor2D>(t, tf.rsqrt(tf.add(tf.sum(tf.square(t), 1, true), 1e-12)));

export async function trainHead(
  data: TrainingData,
  settings: TrainSettings,
  opts: TrainOptions = {},
): Promise<TrainResult> {
  registerGradients();
  const st = { ...settings, rank: effectiveRank(settings.loss.kind, settings.rank) };
  const kind = st.loss.kind;
  // Triplet loss learns no class weights: it scores with the centroids of the learned space.
  const classWeights = kind !== 'triplet';
  const started = performance.now();
  const d = data.dim;
  const K = data.classes.length;
  const k = st.loss.kind === 'subcenter' ? Math.max(1, st.loss.subCentres) : 1;
  const loss = { ...st.loss, subCentres: k };
  const mean = st.centre ? (data.mean ?? meanRow(concatRows(data.x, data.unlabelled))) : new Float32Array(d);
  const base = { dim: d, rank: 0, mean, a: new Float32Array(0), b: new Float32Array(0) };
  const x0 = transform(base, data.x);
  const { trainX, trainY, weights, initCentres, classCount } = trainingRows(
    x0,
    data.y,
    K,
    transform(base, data.unlabelled),
    st,
  );

  const negX = transform(base, data.negatives.x);
  const clA = transform(base, data.cannotLink.a);
  const clB = transform(base, data.cannotLink.b);
  const valX = opts.validation ? transform(base, opts.validation.x) : null;

  const r = st.rank;
  const A = tf.variable(tf.randomNormal<tf.Rank.R2>([d, Math.max(r, 1)], 0, 0.01, 'float32', st.seed));
  const B = tf.variable(tf.zeros<tf.Rank.R2>([Math.max(r, 1), d]));
  const W = tf.variable(tf.tensor2d(initialWeights(initCentres, k, st), [classCount * k, d]));
  const snap = () => ({
    a: A.dataSync().slice() as Float32Array,
    b: B.dataSync().slice() as Float32Array,
    w: W.dataSync().slice() as Float32Array,
  });
  const vars = [...(r > 0 ? [A, B] : []), ...(classWeights ? [W] : [])];
  // Centre loss: one centre per class (pseudo-classes too), starting at the class centroids.
  const centres = kind === 'center' ? initCentres.data.slice() : null;
  const optimizer = tf.train.adam(st.learningRate);
  const negT = negX.rows ? { x: toTensor(negX), cls: tf.tensor1d(data.negatives.cls, 'int32') } : null;
  const clT = clA.rows ? { a: toTensor(clA), b: toTensor(clB) } : null;
  const valT = valX ? toTensor(valX) : null;
  const x0T = toTensor(x0);
  const yT = tf.tensor1d(data.y, 'int32');

  const fwd = (x: tf.Tensor2D): tf.Tensor2D => (r > 0 ? l2(tf.add(x, matMul(matMul(x, A), B))) : x);
  // Cosines of inputs to weights; with no transform the inputs are constants (already unit length).
  const cosines = (x: tf.Tensor2D, w: tf.Tensor2D) => (r > 0 ? matMulT(fwd(x), w) : matMulTConstA(x, w));

  const history: EpochReport[] = [];
  let best = { loss: Infinity, epoch: 0, ...snap() };
  let flops = 0;
  let stepMs = 0;
  const allX = toTensor(trainX);
  const allY = tf.tensor1d(trainY, 'int32');
  const allW = tf.tensor1d(weights);
  let samples = 0;
  const order = Array.from({ length: trainX.rows }, (_, i) => i);
  const random = rng(st.seed + 11);
  const extraRows = negX.rows + 2 * clA.rows;
  const batchSize = kind === 'triplet' ? Math.min(st.batchSize, TRIPLET_BATCH) : st.batchSize;
  let steps = 0;
  let mined = 0;
  let bestStep = 0;
  let epoch = 0;
  try {
    for (epoch = 1; epoch <= st.epochs; epoch++) {
      if (opts.signal?.aborted) throw new TrainingCancelled();
      const batches = trainX.rows <= batchSize ? [order] : chunk(shuffled(order, random), batchSize);
      let epochLoss = 0;
      for (const idx of batches) {
        const stepStart = performance.now();
        // One batch (the usual few-shot case) stays on the device; larger sets upload a batch at a time.
        const whole = idx.length === trainX.rows;
        const bx = whole ? allX : tf.tensor2d(pick(trainX, idx), [idx.length, d]);
        const by = whole
          ? allY
          : tf.tensor1d(
              idx.map((i) => trainY[i]!),
              'int32',
            );
        const bw = whole ? allW : tf.tensor1d(idx.map((i) => weights[i]!));
        const centreStep: { f: Float32Array | null } = { f: null };
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const Wn = l2(W);
              let total: tf.Scalar;
              if (kind === 'triplet') {
                const ys = Int32Array.from(idx, (i) => trainY[i]!);
                const ws = Float32Array.from(idx, (i) => weights[i]!);
                const t = tripletLoss(fwd(bx), ys, ws, loss.m);
                mined += t.triplets.a.length;
                total = t.loss;
              } else if (centres) {
                const f = fwd(bx);
                const cT = tf.tensor2d(centres, [classCount, d]);
                total = tf.add(
                  marginLoss(matMulT(f, Wn), by, loss, bw),
                  centreTerm(f, cT, by, bw, loss.centreWeight),
                );
                // Wen et al. move the centres with the faces before this step's update.
                centreStep.f = (f.dataSync() as Float32Array).slice();
              } else total = marginLoss(cosines(bx, Wn), by, loss, bw);
              if (negT && st.negativeWeight > 0) {
                const cos = reduceSubCentres(cosines(negT.x, Wn), k);
                const own = tf.sum(tf.mul(cos, oneHotFloat(negT.cls, classCount)), 1);
                const pen = tf.div(
                  tf.mean(tf.softplus(tf.mul(tf.sub(own, NEGATIVE_MARGIN), loss.s))),
                  loss.s,
                );
                total = tf.add(total, tf.mul(pen, st.negativeWeight));
              }
              if (clT && st.cannotLinkWeight > 0) {
                const sim = tf.sum(tf.mul(fwd(clT.a), fwd(clT.b)), 1);
                const pen = tf.mean(tf.square(tf.relu(tf.sub(sim, CANNOT_LINK_MARGIN))));
                total = tf.add(total, tf.mul(pen, st.cannotLinkWeight));
              }
              if (r > 0)
                total = tf.add(
                  total,
                  tf.mul(tf.add(tf.sum(tf.square(A)), tf.sum(tf.square(B))), st.weightDecay),
                );
              return total;
            }),
          true,
          vars,
        );
        epochLoss += (await cost!.data())[0]! * idx.length;
        cost!.dispose();
        steps++;
        if (centres && centreStep.f)
          centreUpdate(
            centres,
            centreStep.f,
            Int32Array.from(idx, (i) => trainY[i]!),
            d,
            loss.centreRate,
          );
        if (!whole) tf.dispose([bx, by, bw]);
        stepMs += performance.now() - stepStart;
        const rows = idx.length + extraRows;
        // Forward matmuls, and backward twice over (inputs and weights); rank 0 skips the inputs' gradient.
        const forward = 2 * rows * d * ((r > 0 ? 2 * r : 0) + (classWeights ? classCount * k : idx.length));
        flops += forward * (r > 0 ? 3 : 2);
        samples += idx.length;
      }
      const protos = () =>
        st.prototypes !== 'centroid' && classWeights
          ? { w: l2(tf.slice(W, [0, 0], [K * k, d])), k }
          : // Class sums as one-hotᵀ·F: UnsortedSegmentSum has no WebAssembly kernel.
            { w: l2(matMul(tf.transpose<tf.Tensor2D>(oneHotFloat(yT, K)), fwd(x0T))), k: 1 };
      const val = valT ? await validate(fwd, protos, valT, opts.validation!.y, loss.s) : null;
      const report: EpochReport = {
        epoch,
        epochs: st.epochs,
        loss: epochLoss / trainX.rows,
        valLoss: val?.loss ?? null,
        valTop1: val?.top1 ?? null,
        elapsedMs: performance.now() - started,
      };
      history.push(report);
      opts.onEpoch?.(report);
      const monitored = val ? val.loss : report.loss;
      if (!val) [best.epoch, bestStep] = [epoch, steps];
      else if (monitored < best.loss - 1e-5) {
        best = { loss: monitored, epoch, ...snap() };
        bestStep = steps;
      } else if (epoch - best.epoch >= st.patience) break;
      await new Promise((res) => setImmediate(res)); // let cancel messages in
    }
    // Without validation the last epoch is kept (the caller chose the epoch count).
    if (!valT) best = { ...best, ...snap() };
    const variants = headVariants(
      data,
      st,
      { mean, a: best.a, b: best.b, w: classWeights ? best.w : null, k },
      backgroundOptions(st),
    );
    const params = variants[st.prototypes === 'auto' ? 'centroid' : st.prototypes];
    return {
      params,
      variants,
      epochs: Math.min(epoch, st.epochs),
      bestEpoch: best.epoch,
      steps,
      bestStep,
      rank: r,
      triplets:
        kind === 'triplet'
          ? { possible: possibleTriplets(trainY), minedPerStep: steps ? mined / steps : 0 }
          : null,
      trainMs: performance.now() - started,
      stepMs,
      flops,
      samples,
      history,
    };
  } finally {
    tf.dispose([A, B, W, x0T, yT, allX, allY, allW, ...(valT ? [valT] : [])]);
    if (negT) tf.dispose([negT.x, negT.cls]);
    if (clT) tf.dispose([clT.a, clT.b]);
    optimizer.dispose();
  }
}

function chunk<T>(a: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
  return out;
}

function pick(m: Matrix, idx: number[]): Float32Array {
  const out = new Float32Array(idx.length * m.cols);
  idx.forEach((r, i) => {
    out.set(row(m, r), i * m.cols);
  });
  return out;
}

/** Validation: normalised-softmax loss and top-1 against the training centroids in the learned space. */
/**
 * Validation against the prototypes the head will score with (learned class weights, or the training
 * centroids in the learned space): normalised-softmax loss (no margin) and top-1.
 */
async function validate(
  fwd: (x: tf.Tensor2D) => tf.Tensor2D,
  protos: () => { w: tf.Tensor2D; k: number },
  valT: tf.Tensor2D,
  valY: Int32Array,
  s: number,
): Promise<{ loss: number; top1: number }> {
  const [lossT, predT] = tf.tidy((): [tf.Scalar, tf.Tensor1D] => {
    const p = protos();
    const logits = tf.mul(reduceSubCentres(matMulT(fwd(valT), p.w), p.k), s);
    const labels = tf.tensor1d(valY, 'int32');
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHotFloat(labels, logits.shape[1]!)), 1));
    return [tf.mean(nll), tf.argMax<tf.Tensor1D>(logits, 1)];
  });
  const loss = (await lossT.data())[0]!;
  const pred = await predT.data();
  tf.dispose([lossT, predT]);
  let hit = 0;
  valY.forEach((c, i) => (hit += pred[i] === c ? 1 : 0));
  return { loss, top1: valY.length ? hit / valY.length : 0 };
}
