/**
 * The evaluation protocol of `visage eval` on a folder-per-person set: shuffle the people (seeded);
 * the first half are labelled with `shots` faces each and the rest of their faces are probes; the
 * other half are never labelled and play the strangers. Every model is trained exactly as in the app:
 * from the labelled faces, with every other face of the set present but unlabelled (as in a library);
 * the guard's choice comes from the labelled faces alone. Probes only measure:
 * - closed-set top-1 over the labelled people's probes,
 * - open-set DIR at 1 % FAR, strangers' faces setting the threshold,
 * - TAR at 1e-3 FAR on pairs among the strangers' faces, in each model's own space;
 * - for the baseline and every head, the product's operating point (operating-point.ts): the
 *   labelled faces named, probes and strangers' faces left to recognition's calibrated rule with the
 *   shipped confidence levels, each face its own photo (no groups: the live-library bench adds them).
 * and, next to them, what each head cost (the ArcFace paper's efficiency point): training time (guard
 * episodes and final run) and steps to converge (optimizer steps of the final run, whose length is the
 * epoch at which the guard's validation peaked).
 */
import { centroidScorer, knnScorer, linearProbe, type Scorer } from '../train/baselines';
import { runGuard } from '../train/guard';
import { defaultLoss, type LossKind } from '../train/losses';
import { dirAtFar, tarAtFar, top1 } from './metrics';
import { embedderPrior } from '../recognise/embedder-prior';
import { identityParams, score, transform, type HeadParams } from '../model';
import { operatingPoint, type OperatingPoint } from './operating-point';
import { decideEachAlone } from '../recognise/recognise';
import { trainHead, type TrainOptions } from '../train/trainer';
import { defaultTrainSettings, type TrainSettings, type TrainingData } from '../train/train-settings';
import { gram, matrix, pickRows, rng, shuffled, type Matrix } from '../vector-math';

export interface FaceSet {
  name: string;
  people: string[];
  /** One embedding per face, and its person (index into people). */
  x: Matrix;
  y: Int32Array;
}

export interface MethodResult {
  name: string;
  top1: number;
  dir_far1: number;
  tar_far1e3: number;
  train_ms: number;
  /** Heads: optimizer steps to converge (the final run's); null for baselines. */
  steps: number | null;
  /** Heads: rank of the trained transform (triplet and center never train at 0); null for baselines. */
  rank: number | null;
  /** Triplet heads: triplets among the labelled faces, and semi-hard ones mined per step. */
  triplets: { possible: number; minedPerStep: number } | null;
  /** For heads: what the guard decided from labelled faces (null for baselines). */
  guard: { activate: boolean; reason: string; prototypes: string } | null;
  /** What the user would see with this model (the baseline and the app's head only). */
  operating?: OperatingPoint;
}

export interface EvalResult {
  set: string;
  shots: number;
  seed: number;
  methods: MethodResult[];
  /** What the guard would use: 'head' (the app's default head) or 'centroid'. */
  active: string;
  counts: { people: number; labelled: number; probes: number; strangers: number; strangerFaces: number };
}

export interface EvalOptions {
  shots: number;
  seed: number;
  losses: LossKind[];
  /** The loss of the app's default head (the `head` row); its guard decides `active`. */
  defaultLoss: LossKind;
  episodes: number;
  settings?: (loss: LossKind) => TrainSettings;
  onStep?: (step: string, done: number, total: number) => void;
  trainOptions?: Pick<TrainOptions, 'signal' | 'onEpoch'>;
}

export interface Split {
  known: number[];
  train: number[];
  probes: number[];
  strangers: number[];
}

export function splitSet(set: FaceSet, shots: number, seed: number): Split {
  const random = rng(seed);
  const people = shuffled(
    set.people.map((_, i) => i),
    random,
  );
  const known = people.slice(0, Math.floor(people.length / 2));
  const knownSet = new Set(known);
  const byPerson = new Map<number, number[]>();
  set.y.forEach((p, i) => byPerson.set(p, [...(byPerson.get(p) ?? []), i]));
  const train: number[] = [];
  const probes: number[] = [];
  const strangers: number[] = [];
  for (const p of people) {
    const rows = byPerson.get(p) ?? [];
    if (!knownSet.has(p)) {
      strangers.push(...rows);
      continue;
    }
    const order = shuffled(rows, random);
    train.push(...order.slice(0, shots));
    probes.push(...order.slice(shots));
  }
  return { known, train, probes, strangers };
}

function measure(scorer: Scorer, space: (x: Matrix) => Matrix, set: FaceSet, split: Split) {
  const cls = new Map(split.known.map((p, i) => [p, i]));
  const probeX = pickRows(set.x, split.probes);
  const truth = Int32Array.from(split.probes.map((r) => cls.get(set.y[r]!)!));
  const known = scorer(probeX);
  const strangers = pickRows(set.x, split.strangers);
  const unknown = scorer(strangers);
  const fs = space(strangers);
  return {
    top1: top1(known, truth),
    dir_far1: dirAtFar(known, truth, unknown, 0.01),
    tar_far1e3: tarAtFar(gram(fs, fs), Int32Array.from(split.strangers.map((r) => set.y[r]!)), 1e-3),
  };
}

/** Recognition's calibrated rule on the split, as the app would run it; see the header. */
export function operatingPointOf(
  params: HeadParams,
  set: FaceSet,
  split: Split,
  keepLearned: boolean,
): OperatingPoint {
  const embedding = (r: number) => set.x.data.subarray(r * set.x.cols, (r + 1) * set.x.cols);
  const knownSet = new Set(split.known);
  const undecided = [...split.probes, ...split.strangers];
  const decisions = decideEachAlone(
    params,
    keepLearned,
    split.train.map((r) => ({ personId: set.y[r]!, embedding: embedding(r) })),
    undecided.map(embedding),
    embedderPrior(),
  );
  const truth = new Map(undecided.map((r, i) => [i, knownSet.has(set.y[r]!) ? set.y[r]! : null]));
  return operatingPoint(decisions, truth);
}

/** The data the app would hand the trainer for this split: shots labelled, everything else unlabelled. */
export function trainingDataFor(set: FaceSet, split: Split): TrainingData {
  const cls = new Map(split.known.map((p, i) => [p, i]));
  const trainSet = new Set(split.train);
  const others = Array.from({ length: set.x.rows }, (_, i) => i).filter((i) => !trainSet.has(i));
  return {
    dim: set.x.cols,
    classes: split.known,
    x: pickRows(set.x, split.train),
    y: Int32Array.from(split.train.map((r) => cls.get(set.y[r]!)!)),
    negatives: { x: matrix(0, set.x.cols), cls: new Int32Array(0) },
    cannotLink: { a: matrix(0, set.x.cols), b: matrix(0, set.x.cols) },
    unlabelled: pickRows(set.x, others),
  };
}

export async function runEval(set: FaceSet, opts: EvalOptions): Promise<EvalResult> {
  const split = splitSet(set, opts.shots, opts.seed);
  const data = trainingDataFor(set, split);
  const K = split.known.length;
  const identity = (x: Matrix) => x;
  const methods: MethodResult[] = [];
  const total = 4 + opts.losses.length;
  let step = 0;
  const timed = async (name: string, build: () => Promise<Scorer> | Scorer) => {
    opts.onStep?.(name, step++, total);
    const t = performance.now();
    const scorer = await build();
    methods.push({
      name,
      ...measure(scorer, identity, set, split),
      train_ms: performance.now() - t,
      steps: null,
      rank: null,
      triplets: null,
      guard: null,
    });
  };
  await timed('centroid', () => centroidScorer(data.x, data.y, data.classes));
  methods[0]!.operating = operatingPointOf(
    identityParams(set.x.cols, [], matrix(0, set.x.cols)),
    set,
    split,
    false,
  );
  await timed('knn', () => knnScorer(data.x, data.y, K));
  await timed('linear-probe', () => linearProbe(data.x, data.y, K));
  const head = async (name: string, st: TrainSettings) => {
    opts.onStep?.(name, step++, total);
    const t = performance.now();
    const guard = await runGuard(data, st, trainHead, {
      episodes: opts.episodes,
      targetPrecision: 0.99,
      seed: opts.seed,
      trainOptions: opts.trainOptions,
    });
    const final = await trainHead(
      data,
      { ...st, epochs: guard.epochs, prototypes: guard.prototypes },
      opts.trainOptions ?? {},
    );
    const m = measure(
      (x) => score(final.params, x),
      (x) => transform(final.params, x),
      set,
      split,
    );
    const verdict = { activate: guard.activate, reason: guard.reason, prototypes: guard.prototypes };
    const operating = operatingPointOf(final.params, set, split, guard.prototypes !== 'centroid');
    methods.push({
      name,
      ...m,
      train_ms: performance.now() - t,
      steps: final.steps,
      rank: final.rank,
      triplets: final.triplets,
      guard: verdict,
      operating,
    });
    return guard.activate;
  };
  const settings = (loss: LossKind) => opts.settings?.(loss) ?? defaultTrainSettings(defaultLoss(loss));
  // The app's head (default settings: its guard decides `active`), then every loss scored with its
  // learned weights (blended with the centroids) so the loss itself is what differs between rows.
  const active = (await head('head', settings(opts.defaultLoss))) ? 'head' : 'centroid';
  for (const loss of opts.losses) await head(`head-${loss}`, { ...settings(loss), prototypes: 'blend' });
  return {
    set: set.name,
    shots: opts.shots,
    seed: opts.seed,
    methods,
    active,
    counts: {
      people: set.people.length,
      labelled: split.train.length,
      probes: split.probes.length,
      strangers: set.people.length - K,
      strangerFaces: split.strangers.length,
    },
  };
}
