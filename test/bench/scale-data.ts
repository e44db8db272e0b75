/**
 * A synthetic library of a quarter of a million faces with a realistic identity structure, for the scale
 * bench (scale.ts). Built from real embeddings of the shared sets (people-data.ts):
 * - Identity centres: each real person's mean embedding, and for the thousands more identities a library
 *   needs, the same means with their deviation from the global mean put through a random signed
 *   permutation of the 512 dimensions. That keeps the real anisotropy (every face shares the global mean
 *   direction, so unrelated people are ~0.1 alike, not 0) while making the new identities distinct.
 * - Per-face variation: a real within-person residual (a real face minus its person's mean), drawn from
 *   any real person and put through the identity's permutation, so each identity's spread follows the
 *   measured within-person spread of real faces.
 * - Sizes: a Zipf-like head (family and friends with hundreds to thousands of faces), a body of
 *   acquaintances, and a long tail of strangers with one or two faces (a fifth of all faces).
 * - Photos: about 45 % show one face, the rest two to twelve (group photos), never one identity twice.
 * - Quality: about one face in ten is too small to start a group (background faces).
 * Deterministic for a given seed.
 */
import { DIMENSIONS } from '../../main/engine/search/face-vectors';
import type { BenchFace } from './people-data';

export interface SyntheticFace {
  identity: number;
  photo: number;
  embedding: Float32Array;
  size: number;
}

export interface SyntheticLibrary {
  faces: SyntheticFace[];
  photos: number;
  identities: number;
  /** Faces per identity, largest first. */
  sizes: number[];
  /** Identities with one or two faces. */
  tail: number;
}

/** mulberry32: a small deterministic generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Permutation {
  index: Int32Array;
  sign: Float32Array;
}

function permutation(rand: () => number): Permutation {
  const index = Int32Array.from({ length: DIMENSIONS }, (_, i) => i);
  for (let i = DIMENSIONS - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [index[i], index[j]] = [index[j]!, index[i]!];
  }
  const sign = Float32Array.from({ length: DIMENSIONS }, () => (rand() < 0.5 ? -1 : 1));
  return { index, sign };
}

function permute(v: Float32Array, p: Permutation | null, out: Float32Array, weight = 1): void {
  for (let k = 0; k < DIMENSIONS; k++) out[k]! += weight * (p ? p.sign[k]! * v[p.index[k]!]! : v[k]!);
}

function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  for (let k = 0; k < v.length; k++) v[k]! *= inv;
  return v;
}

/** Identity sizes summing to about `total`: head, body and a tail of strangers (1–2 faces). */
function identitySizes(total: number, rand: () => number): number[] {
  const sizes: number[] = [];
  const tailFaces = Math.round(total * 0.2);
  let known = total - tailFaces;
  // Zipf over ranks with exponent 1.05, scaled so the largest identity has ~1.5 % of the faces.
  for (let r = 1; known > 0; r++) {
    const n = Math.max(3, Math.min(known, Math.round((total * 0.015) / r ** 1.05)));
    sizes.push(n);
    known -= n;
  }
  let tail = tailFaces;
  while (tail > 0) {
    const n = Math.min(tail, rand() < 0.7 ? 1 : 2);
    sizes.push(n);
    tail -= n;
  }
  return sizes;
}

function photoSize(rand: () => number): number {
  const u = rand();
  if (u < 0.45) return 1;
  if (u < 0.65) return 2;
  if (u < 0.77) return 3;
  if (u < 0.92) return 4 + Math.floor(rand() * 3);
  return 7 + Math.floor(rand() * 6);
}

export function syntheticLibrary(real: readonly BenchFace[], total: number, seed = 1): SyntheticLibrary {
  const rand = rng(seed);
  const byLabel = new Map<string, Float32Array[]>();
  for (const f of real) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f.embedding]);
  const means: Float32Array[] = [];
  const residuals: Float32Array[] = [];
  const global = new Float32Array(DIMENSIONS);
  for (const list of byLabel.values()) {
    if (list.length < 2) continue;
    const m = new Float32Array(DIMENSIONS);
    for (const v of list) for (let k = 0; k < DIMENSIONS; k++) m[k]! += v[k]! / list.length;
    means.push(m);
    for (const v of list) residuals.push(Float32Array.from(v, (x, k) => x - m[k]!));
    for (let k = 0; k < DIMENSIONS; k++) global[k]! += m[k]!;
  }
  for (let k = 0; k < DIMENSIONS; k++) global[k]! /= means.length;

  const sizes = identitySizes(total, rand);
  // Identity i: real mean i mod |means|, permuted unless it is the first use of that mean.
  const perms = sizes.map((_, i) => (i < means.length ? null : permutation(rand)));
  const centres = sizes.map((_, i) => {
    const m = means[i % means.length]!;
    const c = Float32Array.from(global);
    permute(
      Float32Array.from(m, (x, k) => x - global[k]!),
      perms[i]!,
      c,
    );
    return c;
  });

  // Face slots, shuffled, then dealt into photos without repeating an identity in a photo.
  const slots: number[] = [];
  sizes.forEach((n, i) => {
    for (let j = 0; j < n; j++) slots.push(i);
  });
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  const faces: SyntheticFace[] = [];
  let photo = 0;
  for (let at = 0; at < slots.length; photo++) {
    const n = Math.min(photoSize(rand), slots.length - at);
    const seen = new Set<number>();
    for (let j = 0; j < n; j++, at++) {
      // A repeated identity swaps with a later slot (or, at the very end, starts a new photo).
      for (let s = at + 1; seen.has(slots[at]!) && s < slots.length; s++)
        if (!seen.has(slots[s]!)) [slots[at], slots[s]] = [slots[s]!, slots[at]!];
      if (seen.has(slots[at]!)) break;
      const identity = slots[at]!;
      seen.add(identity);
      const v = Float32Array.from(centres[identity]!);
      permute(residuals[Math.floor(rand() * residuals.length)]!, perms[identity]!, v);
      faces.push({
        identity,
        photo,
        embedding: normalise(v),
        size: rand() < 0.1 ? 12 + Math.floor(rand() * 10) : 40 + Math.floor(rand() * 200),
      });
    }
  }
  return {
    faces,
    photos: photo,
    identities: sizes.length,
    sizes: [...sizes].sort((a, b) => b - a),
    tail: sizes.filter((n) => n <= 2).length,
  };
}
