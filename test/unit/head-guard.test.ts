/**
 * The guard refuses a head that is worse than the nearest-centroid baseline (and says why), accepts one
 * that is better on both counts, and calibrates thresholds so auto-assignment reaches the target
 * precision on validation faces. Verdict and calibration are pure functions of measured numbers, so
 * these run without training; runGuard is exercised end to end with a deliberately broken "head".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibrate, confidenceOf, fitConfidence } from '../../main/engine/head/recognise/calibration';
import { runGuard, verdict, type ValidationMetrics } from '../../main/engine/head/train/guard';
import { identityParams } from '../../main/engine/head/model';
import type { TrainResult } from '../../main/engine/head/train/trainer';
import { defaultTrainSettings, type TrainingData } from '../../main/engine/head/train/train-settings';
import { matrix, normaliseInPlace, rng } from '../../main/engine/head/vector-math';

const m = (top1: number, open: number, separation = 2): ValidationMetrics => ({
  top1,
  open,
  separation,
  known: 40,
  unknown: 20,
});

describe('guard verdict', () => {
  it('refuses a head that names fewer held-out faces correctly', () => {
    const v = verdict(m(0.8, 0.99), m(0.9, 0.9));
    assert.equal(v.activate, false);
    assert.match(v.reason, /Keeping the simple model.*80\.0 %.*90\.0 %/);
  });
  it('refuses a head that lets more strangers in, even if it names faces better', () => {
    // 20 strangers: one stranger's face moves `open` by up to 5 points; 10 points is more than that.
    const v = verdict(m(0.95, 0.8), m(0.9, 0.9));
    assert.equal(v.activate, false);
    assert.match(v.reason, /mistake more unnamed people/);
  });
  it('refuses a head that is merely equal', () => {
    assert.equal(verdict(m(0.9, 0.9), m(0.9, 0.9)).activate, false);
  });
  it('a rejection difference one stranger could cause is a tie, not evidence', () => {
    assert.equal(verdict(m(0.9, 0.87, 3), m(0.9, 0.9, 2)).activate, true);
    assert.equal(verdict(m(0.9, 0.87, 1.9), m(0.9, 0.9, 2)).activate, false);
  });
  it('breaks a tie on both counts by how far strangers stay from the names', () => {
    assert.equal(verdict(m(1, 1, 3.1), m(1, 1, 2.5)).activate, true);
    assert.equal(verdict(m(1, 1, 2.4), m(1, 1, 2.5)).activate, false);
  });
  it('accepts a head better on one count and no worse on the other', () => {
    const v = verdict(m(0.9, 0.95), m(0.9, 0.9));
    assert.equal(v.activate, true);
    assert.match(v.reason, /Using the trained model/);
  });
  it('refuses when nothing could be validated', () => {
    const v = verdict({ ...m(1, 1), unknown: 0 }, m(0, 0));
    assert.equal(v.activate, false);
    assert.match(v.reason, /Not enough labelled faces/);
  });
});

/** Well-separated synthetic people: each a random direction plus noise. */
function people(k: number, perPerson: number, seed: number): TrainingData {
  const random = rng(seed);
  const d = 32;
  const centres = Array.from({ length: k }, () =>
    normaliseInPlace(Float32Array.from({ length: d }, () => random() - 0.5)),
  );
  const x = matrix(k * perPerson, d);
  const y = new Int32Array(k * perPerson);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < perPerson; i++) {
      const v = Float32Array.from(centres[c]!, (t) => t + (random() - 0.5) * 0.3);
      x.data.set(normaliseInPlace(v), (c * perPerson + i) * d);
      y[c * perPerson + i] = c;
    }
  }
  return {
    dim: d,
    classes: Array.from({ length: k }, (_, i) => 100 + i),
    x,
    y,
    negatives: { x: matrix(0, d), cls: new Int32Array(0) },
    cannotLink: { a: matrix(0, d), b: matrix(0, d) },
    unlabelled: matrix(0, d),
  };
}

describe('runGuard', () => {
  it('keeps the baseline when the trained head scrambles the names', async () => {
    const data = people(8, 6, 3);
    // A "head" whose prototypes are the class centroids shifted by one class: every name is wrong.
    const broken = (d: TrainingData): Promise<TrainResult> => {
      const K = d.classes.length;
      const protos = matrix(K, d.dim);
      for (let c = 0; c < K; c++) {
        const rows = [...d.y.keys()].filter((i) => d.y[i] === (c + 1) % K);
        const s = new Float32Array(d.dim);
        for (const r of rows) for (let j = 0; j < d.dim; j++) s[j]! += d.x.data[r * d.dim + j]!;
        protos.data.set(normaliseInPlace(s), c * d.dim);
      }
      const params = identityParams(d.dim, d.classes, protos);
      return Promise.resolve({
        params,
        variants: { centroid: params, weights: params, blend: params },
        epochs: 1,
        bestEpoch: 1,
        steps: 1,
        bestStep: 1,
        rank: 0,
        triplets: null,
        trainMs: 0,
        stepMs: 0,
        flops: 0,
        samples: 0,
        history: [],
      });
    };
    const report = await runGuard(data, defaultTrainSettings(), broken, {
      episodes: 3,
      targetPrecision: 0.99,
      seed: 1,
    });
    assert.equal(report.activate, false);
    assert.ok(
      report.head.top1 < report.baseline.top1,
      `head ${report.head.top1} vs baseline ${report.baseline.top1}`,
    );
    assert.ok(report.baseline.top1 > 0.9);
    assert.match(report.reason, /Keeping the simple model/);
  });
});

describe('calibration', () => {
  it('picks the lowest threshold whose smoothed precision reaches the target', () => {
    // 300 right answers scoring 0.5…0.8, then 1 wrong at 0.45, then 100 right at 0.3…0.4, then 50 wrong below.
    const decisions = [
      ...Array.from({ length: 300 }, (_, i) => ({ score: 0.5 + (0.3 * i) / 300, correct: true })),
      { score: 0.45, correct: false },
      ...Array.from({ length: 100 }, (_, i) => ({ score: 0.3 + (0.1 * i) / 100, correct: true })),
      ...Array.from({ length: 50 }, (_, i) => ({ score: 0.1 + (0.1 * i) / 50, correct: false })),
    ];
    const c = calibrate(decisions, 0.99);
    // Smoothed precision TP/(TP+FP+1): down to 0.3 it is 400/402; with the two top wrong ones below
    // (0.198, 0.196) 400/404 = 0.9901 still passes; a third gives 400/405 = 0.9877 and fails.
    assert.ok(c.reached);
    assert.equal(c.accepted, 403);
    assert.ok(c.threshold < 0.196 && c.threshold > 0.194, `threshold ${c.threshold}`);
    const accepted = decisions.filter((d) => d.score > c.threshold);
    const precision = accepted.filter((d) => d.correct).length / accepted.length;
    assert.ok(precision >= 0.99);
  });

  it('a handful of lucky faces cannot claim 99 %: nothing is auto-assigned', () => {
    const c = calibrate(
      Array.from({ length: 20 }, (_, i) => ({ score: 0.5 + i / 100, correct: true })),
      0.99,
    );
    assert.equal(c.reached, false);
    assert.ok(c.threshold > 0.69);
  });

  it('confidence rises with the score and is about even where right and wrong meet', () => {
    const decisions = [
      ...Array.from({ length: 200 }, (_, i) => ({ score: 0.3 + (0.6 * i) / 200, correct: true })),
      ...Array.from({ length: 200 }, (_, i) => ({ score: 0.0 + (0.4 * i) / 200, correct: false })),
    ];
    const map = fitConfidence(decisions);
    assert.ok(confidenceOf(map, 0.8) > 0.95);
    assert.ok(confidenceOf(map, 0.1) < 0.05);
    const mid = confidenceOf(map, 0.35);
    assert.ok(mid > 0.3 && mid < 0.7, `confidence at the overlap ${mid}`);
  });
});
