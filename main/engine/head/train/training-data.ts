/**
 * Assembles a head's training data from the library, using every free label the user already gave:
 * - confirmed faces → the classes;
 * - "not this person" rejections → negatives for that person;
 * - faces in the same photo are different people: a face sharing a photo with a confirmed face of P is
 *   a negative for P, and two never-labelled faces of one photo form a cannot-link pair;
 * - never-labelled faces → the unlabelled pool (background prototypes, library mean).
 * Pure over a snapshot of the catalog so it is tested without one; training never writes labels.
 */
import type { LibrarySnapshot } from '../recognise/library-snapshot';
import type { TrainingData } from './train-settings';
import { fromRows, matrix, meanRow, rng, shuffled } from '../vector-math';

export interface DataCounts {
  people: number;
  confirmed: number;
  rejections: number;
  samePhotoNegatives: number;
  cannotLinkPairs: number;
  unlabelled: number;
  unlabelledUsed: number;
  faces: number;
}

export interface AssembledData {
  data: TrainingData;
  counts: DataCounts;
  /** Face id of each row of data.x. */
  faceIds: number[];
}

export interface AssembleOptions {
  maxUnlabelled: number;
  maxPairs: number;
  seed: number;
}

export const defaultAssemble: AssembleOptions = { maxUnlabelled: 20000, maxPairs: 5000, seed: 1 };

export function assembleTrainingData(snap: LibrarySnapshot, opts = defaultAssemble): AssembledData {
  const byId = new Map(snap.faces.map((f) => [f.id, f]));
  const dim = snap.faces[0]?.embedding.length ?? 512;
  const personOf = new Map<number, number>();
  for (const c of snap.confirmed) {
    if (byId.has(c.faceId) && snap.livePeople.has(c.personId)) personOf.set(c.faceId, c.personId);
  }
  const classes = [...new Set(personOf.values())].sort((a, b) => a - b);
  const classOf = new Map(classes.map((p, i) => [p, i]));
  const faceIds = [...personOf.keys()].sort((a, b) => a - b);

  const negatives: { faceId: number; cls: number }[] = [];
  const seen = new Set<string>();
  const addNegative = (faceId: number, personId: number) => {
    const cls = classOf.get(personId);
    const key = `${faceId}:${personId}`;
    if (cls === undefined || personOf.get(faceId) === personId || seen.has(key) || !byId.has(faceId)) return;
    seen.add(key);
    negatives.push({ faceId, cls });
  };
  for (const r of snap.rejections) addNegative(r.faceId, r.personId);
  const rejectionCount = negatives.length;

  const byPhoto = new Map<number, number[]>();
  for (const f of snap.faces) byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), f.id]);
  let pairs: [number, number][] = [];
  for (const ids of byPhoto.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i]!, ids[j]!];
        const pa = personOf.get(a);
        const pb = personOf.get(b);
        if (pa !== undefined) addNegative(b, pa);
        if (pb !== undefined) addNegative(a, pb);
        if (pa === undefined && pb === undefined) pairs.push([a, b]);
      }
    }
  }
  const random = rng(opts.seed);
  if (pairs.length > opts.maxPairs) pairs = shuffled(pairs, random).slice(0, opts.maxPairs);

  const unlabelledIds = snap.faces.filter((f) => !personOf.has(f.id)).map((f) => f.id);
  const used =
    unlabelledIds.length > opts.maxUnlabelled
      ? shuffled(unlabelledIds, random).slice(0, opts.maxUnlabelled)
      : unlabelledIds;
  const emb = (id: number) => byId.get(id)!.embedding;
  const all = fromRows(
    snap.faces.map((f) => f.embedding),
    dim,
  );
  const data: TrainingData = {
    dim,
    classes,
    x: fromRows(faceIds.map(emb), dim),
    y: Int32Array.from(faceIds.map((id) => classOf.get(personOf.get(id)!)!)),
    negatives: {
      x: fromRows(
        negatives.map((n) => emb(n.faceId)),
        dim,
      ),
      cls: Int32Array.from(negatives.map((n) => n.cls)),
    },
    cannotLink: {
      a: fromRows(
        pairs.map(([a]) => emb(a)),
        dim,
      ),
      b: fromRows(
        pairs.map(([, b]) => emb(b)),
        dim,
      ),
    },
    unlabelled: used.length ? fromRows(used.map(emb), dim) : matrix(0, dim),
    mean: snap.faces.length ? meanRow(all) : undefined,
  };
  return {
    data,
    faceIds,
    counts: {
      people: classes.length,
      confirmed: faceIds.length,
      rejections: rejectionCount,
      samePhotoNegatives: negatives.length - rejectionCount,
      cannotLinkPairs: pairs.length,
      unlabelled: unlabelledIds.length,
      unlabelledUsed: used.length,
      faces: snap.faces.length,
    },
  };
}
