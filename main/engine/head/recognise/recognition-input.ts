/**
 * What recognition scores: the model with prototypes from the current confirmed faces, and the undecided
 * faces. [Note: recognition reads off the serving thread] Two readers share one model builder
 * (modelFromConfirmed) and one scoring (undecidedScores): the head worker reads a catalog file itself and
 * scores the faces as it reads them (recognitionInputFromCatalog, via recognise-catalog.ts); the service
 * builds the input from a snapshot in-process only for a catalog without a file (`:memory:`) and the
 * worker scores it. A test pins that both give the same decisions on the same catalog.
 */
import type { HeadParams, Product } from '../model';
import { identityParams } from '../model';
import type { LibrarySnapshot, SnapshotRepos } from './library-snapshot';
import { defaultOpenSet, undecidedScores } from './open-set';
import { fromRows, matrix, rowsMatrix } from '../vector-math';
import { embedderPrior } from './embedder-prior';
import {
  decide,
  withCurrentPrototypes,
  type Decision,
  type RecognitionLibrary,
  type RecognitionModel,
} from './recognise';

/**
 * The model the serving thread chose (the active head, else the nearest-centroid baseline), without
 * prototypes: those come from the confirmed faces of the snapshot that is scored, so they match it.
 */
export interface ModelChoice {
  /** Assignment source: "head:ID" or "centroid". */
  source: string;
  /** The head's weights; null for the baseline (identity map). */
  head: HeadParams | null;
  /** Whether people the head was trained on keep their learned prototypes. */
  keepLearned: boolean;
}

/**
 * A recognition run's outcome: the model used (null: none, nobody is confirmed), the faces it decided and
 * the names it gave. Only the names are objects: 50 000 decisions cloned to the serving thread cost it
 * ~100 ms, a typed array of ids is moved.
 */
export interface Recognised {
  model: string | null;
  /** Every face decided (every face nobody confirmed): those without a name lose a machine name they hold. */
  decided: Int32Array;
  /** The decisions that give a name (kind 'auto' or 'suggested'). */
  named: Decision[];
  /** Each person's name agreement; empty when nothing was decided ([Note: a name's own faces agree]). */
  agreement: [personId: number, agreement: number][];
}

export interface RecognitionInput {
  model: RecognitionModel;
  library: RecognitionLibrary;
}

/** The chosen model on this snapshot: null when no live person has a confirmed face. */
export function modelFor(choice: ModelChoice, snap: LibrarySnapshot): RecognitionModel | null {
  const byId = new Map(snap.faces.map((f) => [f.id, f.embedding]));
  return modelFromConfirmed(
    choice,
    snap.confirmed
      .filter((c) => snap.livePeople.has(c.personId) && byId.has(c.faceId))
      .map((c) => ({ embedding: byId.get(c.faceId)!, personId: c.personId })),
  );
}

/** The chosen model with prototypes from these confirmed faces (of live people, on live faces). */
function modelFromConfirmed(
  choice: ModelChoice,
  confirmed: { embedding: Float32Array; personId: number }[],
): RecognitionModel | null {
  if (confirmed.length === 0) return null;
  const dim = confirmed[0]!.embedding.length;
  const base = choice.head ?? identityParams(dim, [], matrix(0, dim));
  return {
    source: choice.source,
    params: withCurrentPrototypes(base, confirmed, choice.head !== null && choice.keepLearned),
    prior: embedderPrior(),
  };
}

/** The model and every face nobody confirmed, ready to score; null when there is no model. */
export function recognitionInput(choice: ModelChoice, snap: LibrarySnapshot): RecognitionInput | null {
  const model = modelFor(choice, snap);
  if (!model) return null;
  const confirmedIds = new Set(snap.confirmed.map((c) => c.faceId));
  const byId = new Map(snap.faces.map((f) => [f.id, f]));
  const conf = snap.confirmed.filter((c) => snap.livePeople.has(c.personId) && byId.has(c.faceId));
  const todo = snap.faces.filter((f) => !confirmedIds.has(f.id));
  const dim = model.params.dim;
  return {
    model,
    library: {
      confirmed: conf.map((c) => ({ ...c, photoId: byId.get(c.faceId)!.photoId })),
      confirmedEmbeddings: fromRows(
        conf.map((c) => byId.get(c.faceId)!.embedding),
        dim,
      ),
      ids: Int32Array.from(todo.map((f) => f.id)),
      photoIds: Int32Array.from(todo.map((f) => f.photoId)),
      clusters: Int32Array.from(todo.map((f) => f.cluster ?? -1)),
      // The snapshot's own matrix when its faces were read apart from the confirmed ones (no copy).
      embeddings: rowsMatrix(
        todo.map((f) => f.embedding),
        dim,
      ),
      rejected: snap.rejections.map((r): [number, number] => [r.faceId, r.personId]),
    },
  };
}

/**
 * recognitionInput read straight from the catalog, for the head worker's read of a catalog file.
 * [Note: recognition scores while it reads] The faces to decide are read a slice at a time and scored
 * as they come (undecidedScores, the scores decideOpenSet would compute from their embeddings); only the
 * scores, ids, photos and groups are kept. Holding every embedding (512 MB at 250 000 faces) and its
 * transformed copy was most of a recognition run's memory. Same model, same faces, same scores as
 * recognitionInput on a snapshot of the same catalog (pinned by a test).
 */
export function recognitionInputFromCatalog(
  choice: ModelChoice,
  repos: SnapshotRepos,
  product?: Product,
  slice = defaultOpenSet.scoreSlice,
): RecognitionInput | null {
  const confirmedAll = repos.assignments
    .byKind('confirmed')
    .map((a) => ({ faceId: a.faceId, personId: a.personId }));
  const livePeople = new Set(repos.people.list(true).map((p) => p.id));
  const apart = new Set(confirmedAll.map((c) => c.faceId));
  const rows = repos.faces.liveEmbeddingsOf([...apart]);
  const conf = confirmedAll.filter((c) => livePeople.has(c.personId) && rows.has(c.faceId));
  const model = modelFromConfirmed(
    choice,
    conf.map((c) => ({ embedding: rows.get(c.faceId)!.embedding, personId: c.personId })),
  );
  if (!model) return null;
  const { dim } = model.params;
  const K = model.params.classes.length;
  const most = repos.faces.count();
  const scores = new Float32Array(most * K);
  const ids: number[] = [];
  const photoIds: number[] = [];
  const clusters: number[] = [];
  let at = 0;
  repos.faces.liveEmbeddingSlices(apart, slice, dim, (s) => {
    const part = undecidedScores(model.params, matrix(s.rows, dim, s.embeddings), product, slice);
    if ((at + s.rows) * K > scores.length) throw new Error('The catalog changed while it was read');
    scores.set(part.data, at * K);
    at += s.rows;
    ids.push(...s.ids);
    photoIds.push(...s.photoIds);
    clusters.push(...s.clusters);
  });
  return {
    model,
    library: {
      confirmed: conf.map((c) => ({ ...c, photoId: rows.get(c.faceId)!.photoId })),
      confirmedEmbeddings: fromRows(
        conf.map((c) => rows.get(c.faceId)!.embedding),
        dim,
      ),
      ids: Int32Array.from(ids),
      photoIds: Int32Array.from(photoIds),
      clusters: Int32Array.from(clusters),
      embeddings: matrix(0, dim),
      scores: matrix(at, K, scores.subarray(0, at * K)),
      rejected: repos.assignments.rejections().map((r): [number, number] => [r.faceId, r.personId]),
    },
  };
}

/** Scores the input (in the head worker: `product` is its TF.js matmul). */
export function decideInput(input: RecognitionInput | null, product?: Product): Recognised {
  if (!input) return { model: null, decided: new Int32Array(0), named: [], agreement: [] };
  const { ids } = input.library;
  const { decisions, agreement } = ids.length
    ? decide(input.model, input.library, product)
    : { decisions: [], agreement: [] };
  return { model: input.model.source, decided: ids, named: decisions.filter((d) => d.kind), agreement };
}
