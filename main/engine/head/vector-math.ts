/**
 * Row-major matrices of embeddings as flat Float32Arrays, and the few operations the head needs outside
 * TensorFlow.js (scoring, centroids, clustering, metrics). Scoring runs here rather than in TF.js so that
 * applying a head gives the same numbers whatever backend trained it, and needs no backend at all.
 */
import { dot, normaliseInPlace } from '../embedding-dot';

/** Re-exported: the head's maths reads as one module; the operations themselves are shared. */
export { dot, normaliseInPlace };

/** n rows of d floats. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export function matrix(
  rows: number,
  cols: number,
  data: Float32Array = new Float32Array(rows * cols),
): Matrix {
  if (data.length !== rows * cols)
    throw new Error(`Matrix data has ${data.length} floats, expected ${rows * cols}`);
  return { data, rows, cols };
}

export function fromRows(rows: readonly Float32Array[], cols = rows[0]?.length ?? 0): Matrix {
  const m = matrix(rows.length, cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`Row ${i} has ${r.length} values, expected ${cols}`);
    m.data.set(r, i * cols);
  });
  return m;
}

/**
 * fromRows without the copy when the rows already are one matrix: consecutive views into one buffer from
 * its start (rows read into one pack, [Note: embeddings read into one matrix]; rows of a Matrix). At
 * 250 000 faces each avoided copy is 512 MB. The matrix shares memory with the rows: callers only read it.
 */
export function rowsMatrix(rows: readonly Float32Array[], cols = rows[0]?.length ?? 0): Matrix {
  const first = rows[0];
  if (first && first.byteOffset === 0 && first.length === cols) {
    const { buffer } = first;
    const consecutive = rows.every(
      (r, i) => r.buffer === buffer && r.length === cols && r.byteOffset === i * cols * 4,
    );
    if (consecutive) return matrix(rows.length, cols, new Float32Array(buffer, 0, rows.length * cols));
  }
  return fromRows(rows, cols);
}

export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

export function pickRows(m: Matrix, idx: readonly number[]): Matrix {
  const out = matrix(idx.length, m.cols);
  idx.forEach((r, i) => {
    out.data.set(row(m, r), i * m.cols);
  });
  return out;
}

export function normaliseRows(m: Matrix): Matrix {
  const out = matrix(m.rows, m.cols, m.data.slice());
  for (let i = 0; i < m.rows; i++) normaliseInPlace(row(out, i));
  return out;
}

/** A·Bᵀ: every row of a against every row of b (cosines when both are normalised). */
export function gram(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols) throw new Error(`gram: ${a.cols} vs ${b.cols} columns`);
  const out = matrix(a.rows, b.rows);
  const d = a.cols;
  // Blocked over b's rows so a block of b stays in cache while every row of a passes over it.
  const block = 64;
  for (let j0 = 0; j0 < b.rows; j0 += block) {
    const j1 = Math.min(b.rows, j0 + block);
    for (let i = 0; i < a.rows; i++) {
      const ao = i * d;
      for (let j = j0; j < j1; j++) {
        const bo = j * d;
        let s = 0;
        for (let k = 0; k < d; k++) s += a.data[ao + k]! * b.data[bo + k]!;
        out.data[i * b.rows + j] = s;
      }
    }
  }
  return out;
}

export function meanRow(m: Matrix, idx?: readonly number[]): Float32Array {
  const out = new Float32Array(m.cols);
  const rows = idx ?? Array.from({ length: m.rows }, (_, i) => i);
  for (const r of rows) {
    const o = r * m.cols;
    for (let k = 0; k < m.cols; k++) out[k]! += m.data[o + k]!;
  }
  if (rows.length > 0) for (let k = 0; k < m.cols; k++) out[k]! /= rows.length;
  return out;
}

/** Normalised per-class means; classes are 0..k-1 in `labels`. A class without rows gets a zero vector. */
export function centroids(m: Matrix, labels: ArrayLike<number>, k: number): Matrix {
  const out = matrix(k, m.cols);
  for (let i = 0; i < m.rows; i++) {
    const c = labels[i]!;
    const o = c * m.cols;
    const ro = i * m.cols;
    for (let j = 0; j < m.cols; j++) out.data[o + j]! += m.data[ro + j]!;
  }
  for (let c = 0; c < k; c++) normaliseInPlace(row(out, c));
  return out;
}

/** Per-class sums of rows (unnormalised); classes are 0..k-1 in `labels`. */
export function classSums(m: Matrix, labels: ArrayLike<number>, k: number): Matrix {
  const sums = matrix(k, m.cols);
  for (let i = 0; i < m.rows; i++) {
    const o = labels[i]! * m.cols;
    for (let j = 0; j < m.cols; j++) sums.data[o + j]! += m.data[i * m.cols + j]!;
  }
  return sums;
}

export function normalisedRows(m: Matrix): Matrix {
  const out = matrix(m.rows, m.cols, m.data.slice());
  for (let i = 0; i < m.rows; i++) normaliseInPlace(row(out, i));
  return out;
}

export function concatRows(a: Matrix, b: Matrix): Matrix {
  const out = matrix(a.rows + b.rows, a.cols);
  out.data.set(a.data);
  out.data.set(b.data, a.data.length);
  return out;
}

/** Index and value of the largest entry of each row. */
export function argmaxRows(m: Matrix): { index: Int32Array; value: Float32Array } {
  const index = new Int32Array(m.rows);
  const value = new Float32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let best = -Infinity;
    let bi = 0;
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      if (v > best) [best, bi] = [v, j];
    }
    index[i] = bi;
    value[i] = best;
  }
  return { index, value };
}

/** A small seeded PRNG (mulberry32): splits and initialisations must be reproducible from --seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
