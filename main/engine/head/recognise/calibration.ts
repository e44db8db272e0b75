/**
 * The acceptance threshold: the lowest score above which accepted names reach a target precision,
 * estimated on out-of-fold validation faces (a face is "right" when its best-scoring person is its
 * own, "wrong" when that person is someone else or the face belongs to someone never labelled).
 * [Note: smoothed precision] With few labelled faces a threshold could claim 99 % from a handful of
 * lucky faces, so precision is counted with one imagined mistake added (TP / (TP + FP + 1)): reaching
 * 99 % then needs at least 99 right faces above the threshold. When it cannot be reached the threshold
 * is set above every validation score, i.e. nothing is auto-assigned until more faces are labelled.
 */

export interface ScoredDecision {
  score: number;
  correct: boolean;
}

export interface Calibration {
  threshold: number;
  /** Smoothed precision above the threshold, and how many validation faces it rests on. */
  precision: number;
  accepted: number;
  total: number;
  reached: boolean;
}

export function calibrate(decisions: readonly ScoredDecision[], targetPrecision: number): Calibration {
  const sorted = [...decisions].sort((a, b) => b.score - a.score);
  let tp = 0;
  let fp = 0;
  let best: Calibration | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const d = sorted[i]!;
    if (d.correct) tp++;
    else fp++;
    // Only cut between distinct scores: a threshold cannot separate equal scores.
    if (i + 1 < sorted.length && sorted[i + 1]!.score === d.score) continue;
    const precision = tp / (tp + fp + 1);
    if (precision >= targetPrecision) {
      const next = sorted[i + 1]?.score;
      // Accept strictly above the threshold: halfway to the next lower score keeps this face in.
      const threshold = next === undefined ? d.score - 1e-6 : (d.score + next) / 2;
      best = { threshold, precision, accepted: i + 1, total: sorted.length, reached: true };
    }
  }
  if (best) return best;
  const top = sorted[0]?.score ?? 1;
  return { threshold: top + 1e-6, precision: 0, accepted: 0, total: sorted.length, reached: false };
}

/** confidence = 1 / (1 + exp(−(a·score + b))). */
export interface ConfidenceMap {
  a: number;
  b: number;
}

export const confidenceOf = (m: ConfidenceMap, score: number): number =>
  1 / (1 + Math.exp(-(m.a * score + m.b)));

/**
 * Platt scaling: a logistic map from score to the chance the named person is right, fitted on the same
 * out-of-fold decisions by Newton's method, with a weak prior (one right and one wrong pseudo-decision at
 * the mean score) so it stays finite when the decisions are perfectly separable.
 */
export function fitConfidence(decisions: readonly ScoredDecision[], iterations = 50): ConfidenceMap {
  if (decisions.length === 0) return { a: 10, b: -5 };
  const mean = decisions.reduce((s, d) => s + d.score, 0) / decisions.length;
  const pts = [
    ...decisions.map((d) => ({ x: d.score, t: d.correct ? 1 : 0 })),
    { x: mean, t: 1 },
    { x: mean, t: 0 },
  ];
  let a = 0;
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (const { x, t } of pts) {
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const w = p * (1 - p);
      ga += (p - t) * x;
      gb += p - t;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}
