/**
 * What a head training run is given: the data (assembled from the catalog or by the eval protocol)
 * and the settings. Plain data, so it crosses the worker boundary by structured clone.
 */
import { defaultLoss, type LossSettings } from './losses';
import type { Matrix } from '../vector-math';

export const prototypeModes = ['centroid', 'weights', 'blend'] as const;
export type PrototypeMode = (typeof prototypeModes)[number];

export interface TrainingData {
  dim: number;
  /** Person id of each class, in class order. */
  classes: number[];
  /** Confirmed faces and their class. */
  x: Matrix;
  y: Int32Array;
  /** Faces known NOT to be a class: "not this person" rejections, and faces sharing a photo with a confirmed face. */
  negatives: { x: Matrix; cls: Int32Array };
  /** Pairs of never-labelled faces from the same photo: different people (rows of a and b pair up). */
  cannotLink: { a: Matrix; b: Matrix };
  /** A sample of never-labelled faces (open-set negatives, background clusters). */
  unlabelled: Matrix;
  /** Mean embedding of the whole library (centring); computed from x and unlabelled when absent. */
  mean?: Float32Array | undefined;
}

export interface TrainSettings {
  loss: LossSettings;
  /** Rank of the residual transform; 0 trains class weights only. */
  rank: number;
  /** Upper bound on epochs; early stopping usually ends sooner. */
  epochs: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  learningRate: number;
  /** L2 pull of the residual toward identity. */
  weightDecay: number;
  batchSize: number;
  /** Remove the library mean first (see [Note: the head is a transform]). */
  centre: boolean;
  /** Score against background prototypes (see [Note: background prototypes]). */
  background: boolean;
  backgroundWeight: number;
  facesPerCluster: number;
  /** Train against background clusters as extra pseudo-classes (never-labelled faces as negatives). */
  backgroundClasses: boolean;
  /** Weight of the rejection / same-photo negatives term. */
  negativeWeight: number;
  /** Weight of the same-photo pairs term among unlabelled faces. */
  cannotLinkWeight: number;
  /**
   * What faces are scored against (head-params.ts): per-person centroids in the head's space, the
   * learned class weights, both averaged, or 'auto': the guard picks centroid or blend on validation.
   */
  prototypes: 'auto' | PrototypeMode;
  /** Class weights start at each person's centroid (the default), or random (to measure what training adds). */
  init: 'centroids' | 'random';
  seed: number;
}

export function defaultTrainSettings(loss: LossSettings = defaultLoss('arcface')): TrainSettings {
  return {
    loss,
    rank: 0,
    epochs: 150,
    patience: 15,
    learningRate: 0.005,
    weightDecay: 1e-3,
    batchSize: 4096,
    centre: true,
    background: true,
    backgroundWeight: 1,
    facesPerCluster: 30,
    backgroundClasses: false,
    negativeWeight: 1,
    cannotLinkWeight: 1,
    prototypes: 'auto',
    init: 'centroids',
    seed: 1,
  };
}

/** Progress of one training run, reported every epoch. */
export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  /** Validation loss (lower is better), null without a validation split. */
  valLoss: number | null;
  /** Validation top-1 among labelled people, null without a validation split. */
  valTop1: number | null;
  elapsedMs: number;
}
