/**
 * Brute-force nearest faces over the in-memory vectors, with usearch's SIMD kernels (a plain JS dot
 * loop measured ~80 ms per 100 k faces; usearch's f32 scan ~9 ms, its int8 scan ~3 ms on this machine).
 * Small sets are scanned in float32 (exact). Larger ones are scanned in int8 ([Note: int8 codes]) for a
 * candidate list a few times longer than asked, then re-scored in float32, so the scores returned are
 * always exact cosine similarities and only the candidate choice is approximate (the bench measures
 * its recall against the float scan).
 */
import { exactSearch, MetricKind } from 'usearch';
import { DIMENSIONS, dot, quantise, type FaceVectors } from './face-vectors';

export interface Hit {
  faceId: number;
  photoId: number;
  /** Cosine similarity, −1..1. */
  score: number;
}

export interface ScanOptions {
  /** Up to this many faces are scanned in float32; above it, int8 + re-scoring. */
  floatLimit: number;
  /** Native threads per scan. */
  threads: number;
}

/**
 * [Note: usearch offsets] usearch's exactSearch reads a typed array from the start of its ArrayBuffer
 * (it ignores byteOffset) but takes the length from the view, so every matrix or query handed to it must
 * be a view that starts at byte 0: a fresh array, or subarray(0, n).
 */
function nativeScan(
  data: Float32Array | Int8Array,
  query: Float32Array | Int8Array,
  k: number,
  threads: number,
) {
  return exactSearch(data, query, DIMENSIONS, k, MetricKind.IP, threads);
}

/** How many int8 candidates to re-score for k results (measured: 64 gave recall@10 = 1.0 at 100 k faces). */
export function candidateCount(k: number): number {
  return Math.max(64, k * 2);
}

/**
 * The k faces most similar to `query` (unit length), best first. With `slots`, only those rows are
 * scanned (a filtered search); otherwise every face.
 */
export function scanNearest(
  vectors: FaceVectors,
  query: Float32Array,
  k: number,
  options: ScanOptions,
  slots?: Int32Array,
): Hit[] {
  const n = slots ? slots.length : vectors.size;
  if (n === 0 || k <= 0) return [];
  const subset = slots ? vectors.gather(slots) : null;
  const slotOf = (row: number) => (slots ? slots[row]! : row);
  const q = Float32Array.from(query); // a fresh view at byte 0, see [Note: usearch offsets]
  let rows: number[];
  if (n <= options.floatLimit) {
    const floats = subset ? subset.floats : vectors.floatMatrix();
    const m = nativeScan(floats, q, Math.min(k, n), options.threads);
    rows = Array.from(m.keys, Number);
  } else {
    const codes = subset ? subset.codes : vectors.codeMatrix();
    const q8 = new Int8Array(DIMENSIONS);
    quantise(query, q8);
    const m = nativeScan(codes, q8, Math.min(candidateCount(k), n), options.threads);
    rows = Array.from(m.keys, Number);
  }
  const hits = rows.map((row) => ({
    faceId: vectors.faceAt(slotOf(row)),
    photoId: vectors.photoAt(slotOf(row)),
    score: subset ? dot(subset.floats, row * DIMENSIONS, query) : vectors.score(row, query),
  }));
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, k);
}
