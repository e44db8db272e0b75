/**
 * Candidate people for recognition at library scale: for every face, the k people whose prototype
 * (mean confirmed embedding, or a head's class representative) is nearest, found with usearch's int8
 * kernel in one batched native scan and re-scored in float, so the recogniser only scores a short list
 * instead of every person for every face. Scores returned are exact cosine similarities. Not wired into
 * recognition yet: head/recognise/recognise.ts can take these lists as each face's candidate people.
 */
import { exactSearch, MetricKind } from 'usearch';
import { DIMENSIONS, quantise } from '../search/face-vectors';
import { dot } from '../embedding-dot';

export interface Candidate {
  /** Index into the prototypes. */
  person: number;
  score: number;
}

/** Faces per native call: bounds the scratch matrices (64 MB of codes at 512 dimensions). */
const BATCH = 16_384;

export function recognitionCandidates(
  faces: readonly Float32Array[],
  prototypes: readonly Float32Array[],
  k: number,
  threads = 2,
): Candidate[][] {
  if (prototypes.length === 0) return faces.map(() => []);
  const kk = Math.min(prototypes.length, Math.max(k * 2, 8));
  const protoCodes = new Int8Array(prototypes.length * DIMENSIONS);
  prototypes.forEach((p, i) => {
    quantise(p, protoCodes, i * DIMENSIONS);
  });
  const out: Candidate[][] = [];
  for (let from = 0; from < faces.length; from += BATCH) {
    const batch = faces.slice(from, from + BATCH);
    const codes = new Int8Array(batch.length * DIMENSIONS);
    batch.forEach((f, i) => {
      quantise(f, codes, i * DIMENSIONS);
    });
    const m = exactSearch(protoCodes, codes, DIMENSIONS, kk, MetricKind.IP, threads);
    batch.forEach((f, i) => {
      const list: Candidate[] = [];
      for (let r = 0; r < kk; r++) {
        const person = Number(m.keys[i * kk + r]!);
        list.push({ person, score: dot(f, prototypes[person]!) });
      }
      list.sort((a, b) => b.score - a.score || a.person - b.person);
      out.push(list.slice(0, k));
    });
  }
  return out;
}
