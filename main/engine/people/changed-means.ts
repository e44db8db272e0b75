/**
 * [Note: a run's changed groups, searched natively] An incremental run that uses the kept index of group
 * means ([Note: a kept index of group means]) must also consider the groups it changed itself, whose
 * means the index does not know: at 250 000 faces, 1 000 new faces change about 940 groups, and scoring
 * all of them in JS for each of the run's searches (a batch of 940 touched groups, then one search per
 * merge, about 150) was about 1.7 million 512-wide dot products, most of such a run. Their current means
 * are kept here packed, row by row, and one native scan per search names the best `k` of them for each
 * query; the caller scores those exactly as before, so only rows that could not be among the best k are
 * left out.
 */
import { exactSearch, MetricKind } from 'usearch';

export class ChangedMeans {
  private data: Float32Array;
  /** Per row: the group there and the version its mean was taken at. */
  private readonly keys: number[] = [];
  private readonly versions: number[] = [];
  private readonly rowOf = new Map<number, number>();

  constructor(private readonly dim: number) {
    this.data = new Float32Array(64 * dim);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Whether the row of `key` holds its mean at `version`. */
  holds(key: number, version: number): boolean {
    const row = this.rowOf.get(key);
    return row !== undefined && this.versions[row] === version;
  }

  /** Sets (or adds) the row of `key` to `mean`, taken at `version`. */
  set(key: number, version: number, mean: Float32Array): void {
    let row = this.rowOf.get(key);
    if (row === undefined) {
      row = this.keys.push(key) - 1;
      this.versions.push(version);
      this.rowOf.set(key, row);
      if (this.keys.length * this.dim > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    this.versions[row] = version;
    this.data.set(mean, row * this.dim);
  }

  /** Drops the row of `key` (the last row takes its place). */
  remove(key: number): void {
    const row = this.rowOf.get(key);
    if (row === undefined) return;
    const last = this.keys.length - 1;
    if (row !== last) {
      const moved = this.keys[last]!;
      this.keys[row] = moved;
      this.versions[row] = this.versions[last]!;
      this.data.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      this.rowOf.set(moved, row);
    }
    this.keys.pop();
    this.versions.pop();
    this.rowOf.delete(key);
  }

  /** The keys present. */
  all(): readonly number[] {
    return this.keys;
  }

  /** Per query, up to k keys by inner product with its mean, best first (one native scan for all). */
  nearest(queries: readonly Float32Array[], k: number, threads: number): number[][] {
    const n = this.keys.length;
    if (n === 0 || queries.length === 0) return queries.map(() => []);
    const kk = Math.min(k, n);
    // usearch reads from byte 0 of each buffer: a fresh query matrix and a view at 0 ([Note: usearch offsets]).
    const packed = new Float32Array(queries.length * this.dim);
    queries.forEach((q, i) => {
      packed.set(q, i * this.dim);
    });
    const m = exactSearch(this.data.subarray(0, n * this.dim), packed, this.dim, kk, MetricKind.IP, threads);
    return queries.map((_, q) => {
      const out: number[] = [];
      for (let r = 0; r < kk; r++) {
        // kk ≤ n rows: the exact scan fills every place.
        out.push(this.keys[Number(m.keys[q * kk + r]!)]!);
      }
      return out;
    });
  }
}
