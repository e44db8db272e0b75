/**
 * Recognition of faces nobody confirmed, with the active model (a head, or the nearest-centroid
 * baseline). Both go through the one decision rule of [Note: calibrated recognition] (open-set.ts): each
 * face gets the person with the highest posterior chance, that chance as its confidence, and a decision
 * (auto-named, suggested, or nothing) at the contract's `confidenceLevels`; faces of one unnamed group
 * are decided together. Prototypes are recomputed from the current confirmed faces in the model's space,
 * so labels added after training count at once without retraining. Pure: the service writes the decisions.
 */
import { attachThresholdFor, classRepresentatives, transform, type HeadParams, type Product } from '../model';
import { decideOpenSet, type ConfirmedFace, type EmbedderPrior, type LibraryFace } from './open-set';
import type { NameDecision } from './group-decisions';
import { centroids, fromRows, matrix, row, type Matrix } from '../vector-math';

export interface RecognitionModel {
  /** Assignment source: "head:ID" or "centroid". */
  source: string;
  params: HeadParams;
  prior: EmbedderPrior;
}

export type Decision = NameDecision;

/** The library as recognition sees it, in a form that crosses to the worker thread cheaply. */
export interface RecognitionLibrary {
  confirmed: Omit<ConfirmedFace, 'embedding'>[];
  confirmedEmbeddings: Matrix;
  /** Undecided faces: ids, photos, unnamed groups (-1 for none) and embeddings, row by row. */
  ids: Int32Array;
  photoIds: Int32Array;
  clusters: Int32Array;
  embeddings: Matrix;
  /** [faceId, personId] pairs the user rejected. */
  rejected: [number, number][];
  /** The undecided faces' scores, when computed while reading (then `embeddings` is empty). */
  scores?: Matrix;
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

/** A run's decisions, and each person's name agreement ([Note: a name's own faces agree]). */
export interface Decided {
  decisions: Decision[];
  agreement: [personId: number, agreement: number][];
}

export function decide(model: RecognitionModel, library: RecognitionLibrary, product?: Product): Decided {
  const rejected = new Map<number, Set<number>>();
  for (const [f, p] of library.rejected) rejected.set(f, (rejected.get(f) ?? new Set()).add(p));
  const confirmed = library.confirmed.map((c, i) => ({
    ...c,
    embedding: row(library.confirmedEmbeddings, i),
  }));
  const faces: LibraryFace[] = Array.from(library.ids, (id, i) => ({
    id,
    photoId: library.photoIds[i]!,
    cluster: library.clusters[i]! >= 0 ? library.clusters[i]! : null,
    embedding: row(library.embeddings, i),
  }));
  const { decisions, people } = decideOpenSet(
    { params: model.params, confirmed, faces, rejected, prior: model.prior, scores: library.scores },
    product,
  );
  // One face cannot disagree with itself: only people with two or more are measured.
  const measured = people.filter((p) => p.labelled >= 2);
  return { decisions, agreement: measured.map((p) => [p.personId, p.agreement]) };
}

/**
 * The rule on a library without photos or groups (evaluation and the guard's episodes): every face is its
 * own photo, `labelled` faces are confirmed, `undecided` faces are left to recognition. Decisions carry
 * the undecided face's index as `faceId`.
 */
export function decideEachAlone(
  params: HeadParams,
  keepLearned: boolean,
  labelled: readonly { personId: number; embedding: Float32Array }[],
  undecided: readonly Float32Array[],
  prior: EmbedderPrior,
): NameDecision[] {
  const confirmed = labelled.map((l, i) => ({ ...l, faceId: -1 - i, photoId: -1 - i }));
  const faces = undecided.map((embedding, i) => ({ id: i, photoId: i, cluster: null, embedding }));
  return decideOpenSet({
    params: withCurrentPrototypes(params, confirmed, keepLearned),
    confirmed,
    faces,
    rejected: new Map(),
    prior,
  }).decisions;
}
