/**
 * Exact nearest neighbours above a similarity floor, for clustering's candidate pairs. Brute force over
 * packed rows: O(n²·d), about 3.5 k faces in a few seconds on one core. Libraries beyond a few tens of
 * thousands of unnamed faces need an approximate index here (the search feature's vector index).
 */

function pack(vectors: readonly Float32Array[], dim: number): Float32Array {
  const m = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    m.set(v, i * dim);
  });
  return m;
}

function dotRows(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = ai;
  let j = bi;
  const end = ai + dim - (dim % 4);
  for (; i < end; i += 4, j += 4) {
    s0 += a[i]! * b[j]!;
    s1 += a[i + 1]! * b[j + 1]!;
    s2 += a[i + 2]! * b[j + 2]!;
    s3 += a[i + 3]! * b[j + 3]!;
  }
  for (; i < ai + dim; i++, j++) s0 += a[i]! * b[j]!;
  return s0 + s1 + s2 + s3;
}

/** Keeps the k best (index, similarity) pairs seen, as a small unsorted list with a tracked minimum. */
class TopK {
  readonly idx: number[] = [];
  readonly sim: number[] = [];
  private minAt = -1;

  constructor(private readonly k: number) {}

  offer(index: number, similarity: number): void {
    if (this.idx.length < this.k) {
      this.idx.push(index);
      this.sim.push(similarity);
      if (this.minAt < 0 || similarity < this.sim[this.minAt]!) this.minAt = this.idx.length - 1;
      return;
    }
    if (similarity <= this.sim[this.minAt]!) return;
    this.idx[this.minAt] = index;
    this.sim[this.minAt] = similarity;
    let m = 0;
    for (let i = 1; i < this.sim.length; i++) if (this.sim[i]! < this.sim[m]!) m = i;
    this.minAt = m;
  }
}

/**
 * For each query, the indices of up to k base vectors with similarity ≥ floor, best first. With
 * `sameSet` the queries are the base (each pair computed once, a vector is not its own neighbour).
 */
export function nearestAbove(
  queries: readonly Float32Array[],
  base: readonly Float32Array[],
  floor: number,
  k: number,
  sameSet: boolean,
): number[][] {
  const dim = base[0]?.length ?? queries[0]?.length ?? 0;
  const q = pack(queries, dim);
  // Packing the base pays off over many queries; for a few (one merged group's candidates in an
  // incremental run) the copy costs as much as the scan, so the rows are read where they are.
  const packed = sameSet ? q : queries.length > 16 ? pack(base, dim) : null;
  const tops = queries.map(() => new TopK(k));
  for (let i = 0; i < queries.length; i++) {
    const ti = tops[i]!;
    const start = sameSet ? i + 1 : 0;
    for (let j = start; j < base.length; j++) {
      const s = packed ? dotRows(q, i * dim, packed, j * dim, dim) : dotRows(q, i * dim, base[j]!, 0, dim);
      if (s < floor) continue;
      ti.offer(j, s);
      if (sameSet) tops[j]!.offer(i, s);
    }
  }
  return tops.map((t) =>
    t.idx
      .map((index, n) => ({ index, s: t.sim[n]! }))
      .sort((x, y) => y.s - x.s)
      .map((x) => x.index),
  );
}
