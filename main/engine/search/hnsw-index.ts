/**
 * The approximate index for big libraries: an HNSW graph from usearch (maintained, ships prebuilt
 * binaries for Linux, macOS and Windows so nothing builds at install; hnswlib-node needs node-gyp and its
 * last release is from 2024). Vectors are stored as float16 (half the memory of float32; int8 storage
 * measured clearly worse recall). It only proposes candidates: callers re-score them with the exact
 * float vectors, so scores never carry the index's rounding.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { DIMENSIONS } from './face-vectors';

export interface HnswParams {
  /** Links per node (usearch "connectivity", HNSW's M). */
  connectivity: number;
  /** Beam width while inserting. */
  expansionAdd: number;
  /** Beam width while searching; at least the number of candidates asked for. */
  expansionSearch: number;
}

export class HnswIndex {
  private readonly index: Index;

  constructor(readonly params: HnswParams) {
    this.index = new Index({
      dimensions: DIMENSIONS,
      metric: MetricKind.IP,
      quantization: ScalarKind.F16,
      connectivity: params.connectivity,
      expansion_add: params.expansionAdd,
      expansion_search: params.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.index.size();
  }

  has(faceId: number): boolean {
    return this.index.contains(BigInt(faceId)) as boolean;
  }

  /** Adds faces (rows of `vectors`); a face already present is replaced. */
  add(faceIds: number[], vectors: Float32Array, threads: number): void {
    if (faceIds.length === 0) return;
    if (vectors.length !== faceIds.length * DIMENSIONS) throw new RangeError('add: one vector per face id');
    for (const id of faceIds) this.remove(id);
    this.index.add(BigUint64Array.from(faceIds, BigInt), vectors, threads);
  }

  remove(faceId: number): void {
    if (this.has(faceId)) this.index.remove(BigInt(faceId));
  }

  /** Up to k candidate face ids, roughly nearest first. */
  search(query: Float32Array, k: number): number[] {
    if (this.size === 0) return [];
    const m = this.index.search(Float32Array.from(query), Math.min(k, this.size), 1);
    return Array.from(m.keys, Number);
  }

  /** Writes atomically (temp file + rename), so a crash never leaves half an index. */
  save(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    this.index.save(tmp);
    renameSync(tmp, file);
  }

  /** Loads a saved index, or returns null when the file is missing or unreadable. */
  static load(file: string, params: HnswParams): HnswIndex | null {
    if (!existsSync(file)) return null;
    const hnsw = new HnswIndex(params);
    try {
      hnsw.index.load(file);
      return hnsw;
    } catch {
      rmSync(file, { force: true }); // corrupt or from another usearch version: rebuild instead
      return null;
    }
  }
}
