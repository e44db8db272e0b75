/**
 * The guard: a head is activated only when, on validation episodes built from labelled faces alone
 * (episodes.ts), it names held-out faces at least as well as the nearest-centroid baseline, rejects
 * hidden people at least as well, and is strictly better at one of the two. Otherwise the baseline
 * stays and the user is told why, in plain words. The same out-of-fold scores calibrate the acceptance
 * threshold of whichever model is kept.
 */
import { centroidScorer, type Scorer } from './baselines';
import {
  calibrate,
  fitConfidence,
  type Calibration,
  type ConfidenceMap,
  type ScoredDecision,
} from '../recognise/calibration';
import { embedderPrior } from '../recognise/embedder-prior';
import { canValidate, makeEpisode, type Episode } from './episodes';
import type { EmbedderPrior } from '../recognise/open-set';
import { decideEachAlone } from '../recognise/recognise';
import type { PrototypeMode } from './train-settings';
import { identityParams, score, type HeadParams } from '../model';
import type { TrainOptions, TrainResult } from './trainer';
import type { TrainSettings, TrainingData } from './train-settings';
import { matrix, row, type Matrix } from '../vector-math';

export interface ValidationMetrics {
  /** Held-out faces of labelled people given the right name. */
  top1: number;
  /** Open-set rejection: chance that a rightly named held-out face outscores a hidden person's face. */
  open: number;
  /**
   * d′ of the same two score sets. Breaks ties of `open`, which saturates at 100 % on easy sets while
   * the margin between named faces and strangers (what a 1 %-FAR threshold feels) still differs.
   */
  separation: number;
  known: number;
  unknown: number;
}

/** What recognition's calibrated rule offered on the validation episodes (see [Note: calibrated recognition]). */
export interface OperatingTally {
  offered: number;
  right: number;
  /** Hidden people's faces given any name, of all of them. */
  strangersNamed: number;
  strangers: number;
}

export interface GuardReport {
  head: ValidationMetrics;
  baseline: ValidationMetrics;
  activate: boolean;
  reason: string;
  /** Median epoch at which validation peaked: the length of the final run on all faces. */
  epochs: number;
  calibration: { head: Calibration; baseline: Calibration };
  /** Score → chance the name is right, per model. */
  confidence: { head: ConfidenceMap; baseline: ConfidenceMap };
  /** The prototypes the head scores with (chosen on validation when settings say 'auto'). */
  prototypes: PrototypeMode;
  /** The names each model would offer at the shipped confidence levels, on the same episodes. */
  operating: { head: OperatingTally; baseline: OperatingTally };
}

const newOperating = (): OperatingTally => ({ offered: 0, right: 0, strangersNamed: 0, strangers: 0 });

/** Library faces beyond the episode's own held-out and hidden ones that join the undecided pool. */
const POOL = 3000;

/**
 * Runs the product's decision rule for one model on an episode: labelled faces confirmed, held-out and
 * hidden faces (with a sample of the library's other faces) left to recognition, each its own photo.
 */
function tallyOperating(
  t: OperatingTally,
  params: HeadParams,
  keepLearned: boolean,
  ep: Episode,
  prior: EmbedderPrior,
): void {
  const classes = ep.train.classes;
  const labelled = Array.from({ length: ep.train.x.rows }, (_, i) => ({
    personId: classes[ep.train.y[i]!]!,
    embedding: row(ep.train.x, i),
  }));
  const truth: (number | null)[] = [];
  const undecided: Float32Array[] = [];
  for (let i = 0; i < ep.known.x.rows; i++) {
    undecided.push(row(ep.known.x, i));
    truth.push(classes[ep.known.y[i]!]!);
  }
  for (let i = 0; i < ep.unknown.rows; i++) {
    undecided.push(row(ep.unknown, i));
    truth.push(null);
  }
  const pool = ep.train.unlabelled.rows - ep.known.x.rows - ep.unknown.rows;
  const step = Math.max(1, Math.ceil(pool / POOL));
  for (let i = 0; i < pool; i += step) undecided.push(row(ep.train.unlabelled, i));
  for (const d of decideEachAlone(params, keepLearned, labelled, undecided, prior)) {
    if (d.faceId >= truth.length) continue; // the library's other faces: no truth, only the bulk
    const real = truth[d.faceId] ?? null;
    if (real === null) t.strangers++;
    if (!d.kind) continue;
    t.offered++;
    if (real === d.personId) t.right++;
    if (real === null) t.strangersNamed++;
  }
}

/** Lexicographic: more faces named, then better rejection, then more separation. */
function better(a: ValidationMetrics, b: ValidationMetrics): boolean {
  if (a.top1 !== b.top1) return a.top1 > b.top1;
  if (a.open !== b.open) return a.open > b.open;
  return a.separation > b.separation;
}

type Train = (data: TrainingData, st: TrainSettings, opts: TrainOptions) => Promise<TrainResult>;

interface Tally {
  hits: number;
  known: number;
  pairsWon: number;
  pairs: number;
  unknown: number;
  decisions: ScoredDecision[];
  /** Scores of rightly named held-out faces, and best scores of hidden people's faces. */
  rightScores: number[];
  unknownScores: number[];
}

const newTally = (): Tally => ({
  hits: 0,
  known: 0,
  pairsWon: 0,
  pairs: 0,
  unknown: 0,
  decisions: [],
  rightScores: [],
  unknownScores: [],
});

function best(scores: Matrix, i: number): { cls: number; value: number } {
  let value = -Infinity;
  let cls = 0;
  for (let j = 0; j < scores.cols; j++) {
    const v = scores.data[i * scores.cols + j]!;
    if (v > value) [value, cls] = [v, j];
  }
  return { cls, value };
}

function tallyEpisode(t: Tally, scorer: Scorer, known: { x: Matrix; y: Int32Array }, unknown: Matrix): void {
  const ks = scorer(known.x);
  const us = scorer(unknown);
  const unknownMax = Array.from({ length: unknown.rows }, (_, i) => best(us, i).value);
  for (let i = 0; i < known.x.rows; i++) {
    const b = best(ks, i);
    const right = b.cls === known.y[i];
    t.known++;
    t.decisions.push({ score: b.value, correct: right });
    if (right) {
      t.hits++;
      t.rightScores.push(b.value);
    }
    for (const u of unknownMax) {
      t.pairs++;
      if (right && b.value > u) t.pairsWon++;
    }
  }
  for (const u of unknownMax) t.decisions.push({ score: u, correct: false });
  t.unknownScores.push(...unknownMax);
  t.unknown += unknown.rows;
}

/** d′ between rightly named faces' scores and strangers' best scores: separation in units of spread. */
function separation(right: number[], unknown: number[]): number {
  if (right.length < 2 || unknown.length < 2) return 0;
  const ms = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { m, v: v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) };
  };
  const a = ms(right);
  const b = ms(unknown);
  return (a.m - b.m) / Math.sqrt((a.v + b.v) / 2 || 1e-12);
}

const metrics = (t: Tally): ValidationMetrics => ({
  top1: t.known ? t.hits / t.known : 0,
  open: t.pairs ? t.pairsWon / t.pairs : 0,
  separation: separation(t.rightScores, t.unknownScores),
  known: t.known,
  unknown: t.unknown,
});

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/**
 * The decision. Refuse if the head names fewer held-out faces correctly, or if it lets strangers in more
 * than one stranger's face can account for (`open` moves by up to 1/unknown when a single hidden face
 * changes rank: closer than that is a tie, not evidence). Otherwise activate only on a measured gain:
 * more faces named, better rejection, or the same with strangers kept further away (d′).
 */
export function verdict(
  head: ValidationMetrics,
  base: ValidationMetrics,
): { activate: boolean; reason: string } {
  if (head.known === 0 || head.unknown === 0) {
    return {
      activate: false,
      reason:
        'Not enough labelled faces to check a trained model: label at least two faces each of four or more people (some of them play the people you never named).',
    };
  }
  if (head.top1 < base.top1) {
    return {
      activate: false,
      reason: `Keeping the simple model: the trained one named ${pct(head.top1)} of held-out faces correctly, the simple one ${pct(base.top1)}.`,
    };
  }
  if (head.open < base.open - 1 / head.unknown) {
    return {
      activate: false,
      reason: `Keeping the simple model: the trained one would mistake more unnamed people for someone you named (rejection ${pct(head.open)} vs ${pct(base.open)}).`,
    };
  }
  const named = `it named ${pct(head.top1)} of held-out faces correctly (simple model ${pct(base.top1)})`;
  if (head.top1 > base.top1 || head.open > base.open) {
    return {
      activate: true,
      reason: `Using the trained model: ${named} and rejected unnamed people ${head.open >= base.open ? 'at least as well' : 'about as well'} (${pct(head.open)} vs ${pct(base.open)}).`,
    };
  }
  if (head.separation > base.separation) {
    return {
      activate: true,
      reason: `Using the trained model: ${named}, rejection ${pct(head.open)} vs ${pct(base.open)}, and it keeps unnamed people further from the names (separation ${head.separation.toFixed(2)} vs ${base.separation.toFixed(2)}).`,
    };
  }
  return {
    activate: false,
    reason: 'Keeping the simple model: the trained one was no better on your labelled faces.',
  };
}

/**
 * A head that would offer names less precisely, or name more strangers, than the baseline at the shipped
 * levels is refused, whatever its ranking metrics say: what the user sees is what counts. A difference
 * of one face is a tie.
 */
export function operatingVerdict(
  v: { activate: boolean; reason: string },
  op: { head: OperatingTally; baseline: OperatingTally },
): { activate: boolean; reason: string } {
  if (!v.activate) return v;
  const { head, baseline } = op;
  const rate = (n: number, of: number) => (of ? n / of : 0);
  const wrong = (t: OperatingTally) => t.offered - t.right;
  if (
    rate(head.strangersNamed, head.strangers) >
      rate(baseline.strangersNamed, baseline.strangers) + 1 / Math.max(1, head.strangers) ||
    rate(wrong(head), head.offered) > rate(wrong(baseline), baseline.offered) + 1 / Math.max(1, head.offered)
  ) {
    return {
      activate: false,
      reason: `Keeping the simple model: with the trained one, Visage would have offered ${head.offered - head.right} wrong names out of ${head.offered} and named ${head.strangersNamed} faces of people you never named, against ${baseline.offered - baseline.right} of ${baseline.offered} and ${baseline.strangersNamed} with the simple one.`,
    };
  }
  return v;
}

export interface GuardOptions {
  episodes: number;
  targetPrecision: number;
  seed: number;
  onEpisode?: (index: number, of: number) => void;
  trainOptions?: Pick<TrainOptions, 'onEpoch' | 'signal'>;
}

export async function runGuard(
  data: TrainingData,
  st: TrainSettings,
  train: Train,
  opts: GuardOptions,
): Promise<GuardReport> {
  const modes: PrototypeMode[] = st.prototypes === 'auto' ? ['centroid', 'blend'] : [st.prototypes];
  const heads = new Map(modes.map((m) => [m, newTally()]));
  const base = newTally();
  const operating = new Map(modes.map((m) => [m, newOperating()]));
  const baseOperating = newOperating();
  // Read once per guard run, not once per episode and model (it comes from the model manifest file).
  const prior = embedderPrior();
  const bestEpochs: number[] = [];
  if (canValidate(data)) {
    for (let e = 0; e < opts.episodes; e++) {
      opts.onEpisode?.(e, opts.episodes);
      const ep = makeEpisode(data, e, opts.seed, opts.episodes);
      if (ep.known.x.rows === 0) continue;
      const res = await train(
        ep.train,
        { ...st, seed: st.seed + e },
        { ...opts.trainOptions, validation: ep.known },
      );
      bestEpochs.push(res.bestEpoch);
      for (const [mode, tally] of heads) {
        tallyEpisode(tally, (x) => score(res.variants[mode], x), ep.known, ep.unknown);
        tallyOperating(operating.get(mode)!, res.variants[mode], mode !== 'centroid', ep, prior);
      }
      tallyEpisode(base, centroidScorer(ep.train.x, ep.train.y, ep.train.classes), ep.known, ep.unknown);
      tallyOperating(baseOperating, identityParams(data.dim, [], matrix(0, data.dim)), false, ep, prior);
    }
  }
  let mode = modes[0]!;
  for (const m of modes) if (better(metrics(heads.get(m)!), metrics(heads.get(mode)!))) mode = m;
  const head = heads.get(mode)!;
  const hm = metrics(head);
  const bm = metrics(base);
  const sortedEpochs = [...bestEpochs].sort((a, b) => a - b);
  const op = { head: operating.get(mode)!, baseline: baseOperating };
  return {
    head: hm,
    baseline: bm,
    ...operatingVerdict(verdict(hm, bm), op),
    operating: op,
    epochs: Math.max(5, sortedEpochs[Math.floor(sortedEpochs.length / 2)] ?? st.epochs),
    calibration: {
      head: calibrate(head.decisions, opts.targetPrecision),
      baseline: calibrate(base.decisions, opts.targetPrecision),
    },
    confidence: { head: fitConfidence(head.decisions), baseline: fitConfidence(base.decisions) },
    prototypes: mode,
  };
}

/** The baseline's threshold and confidence map alone (no training): for recognition before any head. */
export function baselineCalibration(
  data: TrainingData,
  opts: Pick<GuardOptions, 'episodes' | 'targetPrecision' | 'seed'>,
): { calibration: Calibration; confidence: ConfidenceMap } {
  const base = newTally();
  if (canValidate(data)) {
    for (let e = 0; e < opts.episodes; e++) {
      const ep = makeEpisode(data, e, opts.seed, opts.episodes);
      if (ep.known.x.rows === 0) continue;
      tallyEpisode(base, centroidScorer(ep.train.x, ep.train.y, ep.train.classes), ep.known, ep.unknown);
    }
  }
  return {
    calibration: calibrate(base.decisions, opts.targetPrecision),
    confidence: fitConfidence(base.decisions),
  };
}
