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
