/**
 * Recognition of faces nobody confirmed, with the active model (a head, or the nearest-centroid
 * baseline): each face gets its best-scoring person it was not rejected from, a confidence (the
 * calibrated chance that name is right), and a decision:
 * - auto-assigned when the score is above the calibrated threshold (the target precision),
 * - suggested for review when the confidence is at least even,
 * - otherwise nothing (and an older machine suggestion from a recognition model is withdrawn).
 * Prototypes are recomputed from the current confirmed faces in the model's space, so labels added
 * after training count at once without retraining. Pure: the service writes the decisions.
 */
import { confidenceOf, type ConfidenceMap } from './calibration';
import {
  attachThresholdFor,
  classRepresentatives,
  scoreTransformed,
  transform,
  type HeadParams,
  type Product,
} from './model';
import { centroids, fromRows, matrix, type Matrix } from './vector-math';

export interface RecognitionModel {
  /** Assignment source: "head:ID" or "centroid". */
  source: string;
  params: HeadParams;
  threshold: number;
  confidence: ConfidenceMap;
}

export interface Decision {
  faceId: number;
  personId: number;
  kind: 'auto' | 'suggested' | null;
  score: number;
  confidence: number;
}

/**
 * The model's prototypes brought up to date with the current confirmed faces: people the head was
 * trained on keep their learned prototypes when it scores with learned weights; everyone else (all
 * people, for a centroid head or the baseline) gets the centroid of their confirmed faces in the model's
 * space, so labels added after training count at once.
 */
export function withCurrentPrototypes(
  params: HeadParams,
  confirmed: { embedding: Float32Array; personId: number }[],
  keepLearned = false,
): HeadParams {
  const classes = [...new Set(confirmed.map((c) => c.personId))].sort((a, b) => a - b);
  if (classes.length === 0)
    return { ...params, classes: [], prototypes: matrix(0, params.dim), subCentres: 1 };
  const index = new Map(classes.map((p, i) => [p, i]));
  const f = transform(
    params,
    fromRows(
      confirmed.map((c) => c.embedding),
      params.dim,
    ),
  );
  const y = Int32Array.from(confirmed.map((c) => index.get(c.personId)!));
  const fresh = centroids(f, y, classes.length);
  const k = keepLearned ? params.subCentres : 1;
  const prototypes = matrix(classes.length * k, params.dim);
  const learned = new Map(params.classes.map((p, i) => [p, i]));
  classes.forEach((person, c) => {
    const old = keepLearned ? learned.get(person) : undefined;
    for (let j = 0; j < k; j++) {
      const src =
        old === undefined
          ? fresh.data.subarray(c * params.dim, (c + 1) * params.dim)
          : params.prototypes.data.subarray((old * k + j) * params.dim, (old * k + j + 1) * params.dim);
      prototypes.data.set(src, (c * k + j) * params.dim);
    }
  });
  const next = { ...params, classes, prototypes, subCentres: k };
  return { ...next, attachThreshold: attachThresholdFor(classRepresentatives(next)) };
}

const BATCH = 2048;

export function decide(
  model: RecognitionModel,
  faces: { id: number; embedding: Float32Array }[],
  rejected: Map<number, Set<number>>,
  product?: Product,
): Decision[] {
  const p = model.params;
  const out: Decision[] = [];
  if (p.classes.length === 0) return out;
  for (let start = 0; start < faces.length; start += BATCH) {
    const batch = faces.slice(start, start + BATCH);
    const x: Matrix = fromRows(
      batch.map((f) => f.embedding),
      p.dim,
    );
    const scores = scoreTransformed(p, transform(p, x), product);
    batch.forEach((face, i) => {
      const no = rejected.get(face.id);
      let best = -Infinity;
      let cls = -1;
      for (let c = 0; c < scores.cols; c++) {
        if (no?.has(p.classes[c]!)) continue;
        const v = scores.data[i * scores.cols + c]!;
        if (v > best) [best, cls] = [v, c];
      }
      if (cls < 0) return;
      const confidence = confidenceOf(model.confidence, best);
      const kind = best > model.threshold ? 'auto' : confidence >= 0.5 ? 'suggested' : null;
      out.push({ faceId: face.id, personId: p.classes[cls]!, kind, score: best, confidence });
    });
  }
  return out;
}
