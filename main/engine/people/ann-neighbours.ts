/**
 * Approximate nearest neighbours above a similarity floor, for grouping at library scale (the exact
 * search in neighbours.ts is O(n²·d)). [Note: grouping neighbours from IVF lists] The int8 codes of the
 * search feature ([Note: int8 codes]) are split into inverted lists around spherical k-means centroids;
 * each face is compared only with the faces of its `probes` nearest lists, with usearch's native int8
 * kernel, and every candidate within `margin` of the floor is re-scored with the float vectors, so the
 * similarities clustering sees are exact and only the choice of candidates is approximate. Why IVF and
 * not the HNSW graph (BENCHMARKS.md, "Visage at 250 000 faces", measured at 20 000 faces): the lists
 * with 12 probes found 96 % of the exact neighbours in less than half the HNSW graph's time (which found
 * 99.7 %), grouping from them matched the exact search on the shared sets (BCubed F within 0.001), and
 * they are deterministic — the same input always gives the same lists whatever the thread count, which a
 * threaded HNSW build is not.
 */
import { exactSearch, Index, MetricKind, ScalarKind } from 'usearch';
import { DIMENSIONS, quantise } from '../search/face-vectors';
import { dot } from '../embedding-dot';

export interface AnnOptions {
  /** Faces per inverted list, on average. */
  listSize: number;
  /** Lists searched per face (its nearest centroids). */
  probes: number;
  /** Candidates within this much below the floor (by int8 similarity) are re-scored in float. */
  margin: number;
  /** Native threads per search call. */
  threads: number;
}

export const DEFAULT_ANN_OPTIONS: AnnOptions = { listSize: 256, probes: 12, margin: 0.05, threads: 2 };

/** The int8 similarity scale: codes are x · 8 · 127, so a code dot product is sim · (8 · 127)². */
export const CODE_DOT = (8 * 127) ** 2;
const KMEANS_ROUNDS = 5;
/** Training faces per list: enough to place centroids, cheap next to the search itself. */
const SAMPLE_PER_LIST = 12;

export function codesOf(vectors: readonly Float32Array[]): Int8Array {
  const out = new Int8Array(vectors.length * DIMENSIONS);
  vectors.forEach((v, i) => {
    quantise(v, out, i * DIMENSIONS);
  });
  return out;
}

/** Rows of `codes` (by index) copied into a fresh matrix (usearch reads from byte 0: [Note: usearch offsets]). */
export function gatherCodes(codes: Int8Array, rows: ArrayLike<number>): Int8Array {
  const out = new Int8Array(rows.length * DIMENSIONS);
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i]! * DIMENSIONS;
    out.set(codes.subarray(from, from + DIMENSIONS), i * DIMENSIONS);
  }
  return out;
}

/**
 * The inverted lists' scan, shared by a run's IVF lists (ivfNearestAbove) and the kept index of group
 * means (group-mean-index.ts): one native int8 scan per list for all the queries that probe it (`probed`:
 * `probes` lists per query, row by row). `hit(q, c, row)` is told each of query q's best `k` rows of
 * list c with a code similarity of at least `cut`, best first. `listCodes(c)` gives a list's rows packed
 * from byte 0 ([Note: usearch offsets]) and is asked only for lists some query probes.
 */
export function scanProbedLists(
  queryCodes: Int8Array,
  probed: Int32Array,
  probes: number,
  lists: { count: number; rows: (c: number) => number; codes: (c: number) => Int8Array },
  k: number,
  cut: number,
  threads: number,
  hit: (q: number, c: number, row: number) => void,
): void {
  const queries = queryCodes.length / DIMENSIONS;
  const askers: number[][] = Array.from({ length: lists.count }, () => []);
  for (let q = 0; q < queries; q++) for (let p = 0; p < probes; p++) askers[probed[q * probes + p]!]!.push(q);
  for (let c = 0; c < lists.count; c++) {
    const rows = lists.rows(c);
    const qs = askers[c]!;
    if (rows === 0 || qs.length === 0) continue;
    const askCodes = queries === 1 ? queryCodes : gatherCodes(queryCodes, qs);
    const kk = Math.min(rows, k);
    const m = exactSearch(lists.codes(c), askCodes, DIMENSIONS, kk, MetricKind.IP, threads);
    for (let a = 0; a < qs.length; a++)
      for (let r = 0; r < kk; r++) {
        // int8 IP distances are the negated code dot product; results come best first.
        if (-m.distances[a * kk + r]! < cut) break;
        hit(qs[a]!, c, Number(m.keys[a * kk + r]!));
      }
  }
}

/** Spherical k-means on an evenly spaced sample; deterministic (no random start). */
export function trainCentroids(
  vectors: readonly Float32Array[],
  lists: number,
  threads: number,
): Float32Array {
  const step = Math.max(1, Math.floor(vectors.length / (lists * SAMPLE_PER_LIST)));
  const sample: Float32Array[] = [];
  for (let i = 0; i < vectors.length; i += step) sample.push(vectors[i]!);
  const centroids = new Float32Array(lists * DIMENSIONS);
  for (let c = 0; c < lists; c++)
    centroids.set(sample[Math.floor((c * sample.length) / lists)]!, c * DIMENSIONS);
  const packed = new Float32Array(sample.length * DIMENSIONS);
  sample.forEach((v, i) => {
    packed.set(v, i * DIMENSIONS);
  });
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    const nearest = nearestCentroids(centroids, packed, 1, threads);
    const sums = new Float32Array(lists * DIMENSIONS);
    const counts = new Int32Array(lists);
    sample.forEach((v, i) => {
      const c = nearest[i]!;
      counts[c]!++;
      for (let k = 0; k < DIMENSIONS; k++) sums[c * DIMENSIONS + k]! += v[k]!;
    });
    for (let c = 0; c < lists; c++) {
      if (counts[c] === 0) continue;
      let norm = 0;
      for (let k = 0; k < DIMENSIONS; k++) norm += sums[c * DIMENSIONS + k]! ** 2;
      const inv = 1 / Math.sqrt(norm || 1);
      for (let k = 0; k < DIMENSIONS; k++) centroids[c * DIMENSIONS + k] = sums[c * DIMENSIONS + k]! * inv;
    }
  }
  return centroids;
}

/**
 * Pairs one exactSearch call may score. [Note: usearch's exact search holds every distance] It fills a
 * dataset × queries table of (offset, distance), twice, before picking the best: 16 bytes a pair, so
 * the 225 294 seeds of the 250 000-face bench against their 880 centroids took 3.2 GB in one call (the
 * re-group's peak). Calls are cut into query chunks of at
 * most this many pairs (64 MB of table).
 */
export const PAIRS_PER_CALL = 4_000_000;

/** The `count` nearest centroids of every row of `rows`, as a flat row-major list. */
export function nearestCentroids(
  centroids: Int8Array | Float32Array,
  rows: Int8Array | Float32Array,
  count: number,
  threads: number,
): Int32Array {
  const n = rows.length / DIMENSIONS;
  const out = new Int32Array(n * count);
  if (n === 0) return out;
  const chunk = Math.max(1, Math.floor(PAIRS_PER_CALL / (centroids.length / DIMENSIONS)));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    // A fresh copy, not a view: usearch reads from byte 0 of the buffer ([Note: usearch offsets]).
    const part = from === 0 && to === n ? rows : rows.slice(from * DIMENSIONS, to * DIMENSIONS);
    const m = exactSearch(centroids, part, DIMENSIONS, count, MetricKind.IP, threads);
    for (let i = 0; i < (to - from) * count; i++) out[from * count + i] = Number(m.keys[i]!);
  }
  return out;
}

/**
 * Per-query best-k lists in flat typed arrays: row q holds at most k (index, similarity) entries, kept as
 * a min-heap on (similarity, then larger index first) so the worst entry is at the root. [Note: bounded
 * neighbour lists] A map per query (what this was) held every candidate above the floor until the end;
 * here a face costs k × 12 bytes, set aside once. The outcome is the
 * same: the k best by similarity, ties by smaller index; a pair offered twice (a set searched against
 * itself finds each pair from both sides, with the same exact similarity) is kept once, and one that was
 * pushed out is worse than every kept entry, so it is refused again.
 */
class Collector {
  private readonly index: Int32Array;
  private readonly sim: Float64Array;
  private readonly count: Int32Array;

  constructor(
    private readonly queries: number,
    private readonly k: number,
  ) {
    this.index = new Int32Array(queries * k);
    this.sim = new Float64Array(queries * k);
    this.count = new Int32Array(queries);
  }

  /** Whether entry a ranks below entry b (lower similarity, or the same and a larger index). */
  private worse(a: number, b: number): boolean {
    const sa = this.sim[a]!;
    const sb = this.sim[b]!;
    return sa < sb || (sa === sb && this.index[a]! > this.index[b]!);
  }

  offer(query: number, index: number, similarity: number): void {
    const k = this.k;
    if (k === 0) return;
    const base = query * k;
    const n = this.count[query]!;
    const s = similarity;
    if (n === k) {
      const ws = this.sim[base]!;
      if (s < ws || (s === ws && index >= this.index[base]!)) return;
    }
    for (let i = base; i < base + n; i++) if (this.index[i] === index) return;
    if (n < k) {
      // Sift up from the end.
      let i = n;
      this.index[base + i] = index;
      this.sim[base + i] = s;
      this.count[query] = n + 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(base + i, base + parent)) break;
        this.swap(base + i, base + parent);
        i = parent;
      }
      return;
    }
    // Replace the worst (the root) and sift down.
    this.index[base] = index;
    this.sim[base] = s;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < k && this.worse(base + l, base + m)) m = l;
      if (r < k && this.worse(base + r, base + m)) m = r;
      if (m === i) break;
      this.swap(base + i, base + m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const ti = this.index[a]!;
    this.index[a] = this.index[b]!;
    this.index[b] = ti;
    const ts = this.sim[a]!;
    this.sim[a] = this.sim[b]!;
    this.sim[b] = ts;
  }

  lists(): number[][] {
    const out: number[][] = [];
    for (let q = 0; q < this.queries; q++) {
      const base = q * this.k;
      const rows = Array.from({ length: this.count[q]! }, (_, i) => base + i);
      rows.sort((a, b) => this.sim[b]! - this.sim[a]! || this.index[a]! - this.index[b]!);
      out.push(rows.map((i) => this.index[i]!));
    }
    return out;
  }
}

/**
 * Same contract as nearestAbove (neighbours.ts), approximately: for each query, up to k base indices
 * with exact similarity ≥ floor, best first (ties by index, so the output is deterministic).
 */
export function ivfNearestAbove(
  queries: readonly Float32Array[],
  base: readonly Float32Array[],
  floor: number,
  k: number,
  sameSet: boolean,
  options: AnnOptions = DEFAULT_ANN_OPTIONS,
): number[][] {
  const out = new Collector(queries.length, k);
  if (queries.length === 0 || base.length === 0) return out.lists();
  // [Note: list size for few queries] Placing the base in lists costs base × lists; searching costs
  // queries × probes × list size. A few queries against a large base (an incremental run's new faces
  // against every group) get fewer, larger lists — about √(queries × probes) of them —, which is cheaper
  // and searches a larger share of the base; a set against itself keeps `listSize`.
  const listSize = Math.max(options.listSize, base.length / Math.sqrt(queries.length * options.probes));
  const lists = Math.max(1, Math.round(base.length / listSize));
  const probes = Math.min(lists, options.probes);
  const centroids = trainCentroids(base, lists, options.threads);
  const centroidCodes = new Int8Array(centroids.length);
  for (let c = 0; c < lists; c++)
    quantise(centroids.subarray(c * DIMENSIONS, (c + 1) * DIMENSIONS), centroidCodes, c * DIMENSIONS);
  const baseCodes = codesOf(base);
  const queryCodes = sameSet ? baseCodes : codesOf(queries);
  const probed = nearestCentroids(centroidCodes, queryCodes, probes, options.threads);
  // Against itself, a face's home list is its first probe: one centroid scan instead of two.
  const home = sameSet
    ? Int32Array.from({ length: base.length }, (_, i) => probed[i * probes]!)
    : nearestCentroids(centroidCodes, baseCodes, 1, options.threads);

  // Inverted lists of base rows.
  const members: number[][] = Array.from({ length: lists }, () => []);
  home.forEach((c, i) => members[c]!.push(i));
  const probedLists = {
    count: lists,
    rows: (c: number) => members[c]!.length,
    codes: (c: number) => gatherCodes(baseCodes, members[c]!),
  };
  // Against itself a face finds itself too: one more row each.
  const kk = k + (sameSet ? 1 : 0);
  scanProbedLists(
    queryCodes,
    probed,
    probes,
    probedLists,
    kk,
    (floor - options.margin) * CODE_DOT,
    options.threads,
    (q, c, row) => {
      const j = members[c]![row]!;
      if (sameSet && j === q) return;
      const s = dot(queries[q]!, base[j]!);
      if (s < floor) return;
      out.offer(q, j, s);
      if (sameSet) out.offer(j, q, s);
    },
  );
  return out.lists();
}

export interface HnswGraphOptions {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  threads: number;
  margin: number;
}

/**
 * The same search through a usearch HNSW graph (f16), kept for the measurement that chose IVF (see the
 * header); not used by the app.
 */
export function hnswNearestAbove(
  queries: readonly Float32Array[],
  base: readonly Float32Array[],
  floor: number,
  k: number,
  sameSet: boolean,
  options: HnswGraphOptions,
): number[][] {
  const out = new Collector(queries.length, k);
  if (queries.length === 0 || base.length === 0) return out.lists();
  const index = new Index({
    dimensions: DIMENSIONS,
    metric: MetricKind.IP,
    quantization: ScalarKind.F16,
    connectivity: options.connectivity,
    expansion_add: options.expansionAdd,
    expansion_search: options.expansionSearch,
    multi: false,
  });
  const pack = (vs: readonly Float32Array[]): Float32Array => {
    const m = new Float32Array(vs.length * DIMENSIONS);
    vs.forEach((v, i) => {
      m.set(v, i * DIMENSIONS);
    });
    return m;
  };
  index.add(
    BigUint64Array.from(base, (_, i) => BigInt(i)),
    pack(base),
    options.threads,
  );
  const kk = Math.min(base.length, k + (sameSet ? 1 : 0));
  const m = index.search(pack(queries), kk, options.threads);
  const keys = 'counts' in m ? m.keys : m.keys;
  const distances = m.distances;
  for (let q = 0; q < queries.length; q++)
    for (let r = 0; r < kk; r++) {
      // f16 IP distance is 1 − similarity.
      const d = distances[q * kk + r]!;
      if (1 - d < floor - options.margin) break;
      const key = keys[q * kk + r]!;
      const j = Number(key);
      if (j >= base.length || (sameSet && j === q)) continue;
      const s = dot(queries[q]!, base[j]!);
      if (s < floor) continue;
      out.offer(q, j, s);
      if (sameSet) out.offer(j, q, s);
    }
  return out.lists();
}
