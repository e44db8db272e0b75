/**
 * The face index manager: keeps the in-memory vectors in step with the catalog through the face change
 * log ([Note: face change log]), and picks how to search by size:
 *   - up to `floatLimit` faces: a float32 scan (exact);
 *   - above it: an int8 scan plus float re-scoring ([Note: int8 codes]);
 *   - from `annThreshold` faces: the HNSW graph (hnsw-index.ts), once it has caught up with every change.
 * The graph is built and updated in small steps off the request path (until it is ready the scan serves),
 * saved to the data folder, and on the next start loaded and brought up to date from the change log.
 * The thresholds' defaults come from test/bench/search.ts; see DEFAULT_INDEX_OPTIONS.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { candidateCount, scanNearest, type Hit } from './exact-scan';
import { DIMENSIONS, FaceVectors } from './face-vectors';
import { HnswIndex, type HnswParams } from './hnsw-index';
import type { SearchRepo } from '../catalog/search-repo';

export interface FaceIndexOptions {
  floatLimit: number;
  annThreshold: number;
  hnsw: HnswParams;
  /** Native threads per scan. */
  threads: number;
  /** Native threads per batch of graph inserts. */
  buildThreads: number;
  /** Faces inserted into the graph per background step (each step blocks the thread that runs it). */
  buildChunk: number;
  /** Where the graph is saved (a .usearch file, with a .json beside it); null keeps it in memory only. */
  annFile: string | null;
}

/**
 * Chosen from test/bench/search.ts (BENCHMARKS.md, "Search index"; 200 queries, replicated real
 * embeddings). The int8 scan with float re-scoring matched the exact top 10 (recall@10 1.0 at 100 k,
 * 0.999 at 1 M) with p95 4.6 ms at 100 k and 37.9 ms at 1 M on one thread (two threads were slower at 1 M
 * on the shared 2-core machine: p95 89.7 ms), and beat the float scan from a few thousand faces on. The
 * HNSW graph (M = 64, ef_add 400, ef_search 1024) matched it at 100 k (recall 1.0, p95 3.1 ms) but fell to
 * recall 0.69 at 1 M, where each face has hundreds of near-equal copies, after a 27-minute build. So the
 * scan serves every size the bench covers, and the graph only takes over beyond them.
 */
export const DEFAULT_INDEX_OPTIONS: FaceIndexOptions = {
  floatLimit: 5_000,
  annThreshold: 2_000_000,
  hnsw: { connectivity: 64, expansionAdd: 400, expansionSearch: 1024 },
  threads: 1,
  buildThreads: 2,
  buildChunk: 250,
  annFile: null,
};

const KEPT_CHANGES = 50_000;

export type SearchMode = 'exact' | 'quantised' | 'approximate';

export interface IndexStatus {
  faces: number;
  mode: SearchMode;
  /** Faces still to be put into the graph (0 when there is no graph or it is up to date). */
  annPending: number;
  annSize: number;
  bytes: number;
}

interface SavedMeta {
  version: number;
  params: HnswParams;
  seq: number;
  size: number;
}

export class FaceIndex {
  private vectors = new FaceVectors();
  private loaded = false;
  private seq = 0;
  private ann: HnswIndex | null = null;
  private readonly pending = new Set<number>();
  private timer: NodeJS.Immediate | null = null;
  private dirty = false;
  /** A build (or a large catch-up) is under way: save the graph when it completes. */
  private building = false;

  constructor(
    private readonly repo: SearchRepo,
    readonly options: FaceIndexOptions = DEFAULT_INDEX_OPTIONS,
  ) {}

  /** Applies every catalog change since the last call (the first call loads all faces). */
  sync(): void {
    if (!this.loaded || this.repo.prunedThrough() > this.seq) {
      this.loadAll();
      return;
    }
    const { seq, faceIds } = this.repo.changesSince(this.seq);
    for (const id of faceIds) this.refresh(id);
    this.seq = seq;
    if (faceIds.size > 0) this.dirty = true;
    this.maintainAnn();
  }

  /** The k faces most similar to a unit-length query, best first; `photos` limits them to those photos. */
  search(query: Float32Array, k: number, photos: Set<number> | null = null): Hit[] {
    if (query.length !== DIMENSIONS)
      throw new RangeError(`A query embedding has ${DIMENSIONS} numbers; this one has ${query.length}`);
    this.sync();
    const scan = { floatLimit: this.options.floatLimit, threads: this.options.threads };
    let slots: Int32Array | undefined;
    if (photos) {
      slots = this.slotsIn(photos);
      if (slots.length === 0) return [];
    }
    const fraction = slots ? slots.length / this.vectors.size : 1;
    if (this.mode() === 'approximate' && fraction >= 0.25) {
      const hits = this.annSearch(query, Math.ceil(candidateCount(k) / fraction), photos);
      if (hits.length >= Math.min(k, slots ? slots.length : this.vectors.size)) return hits.slice(0, k);
    }
    return scanNearest(this.vectors, query, k, scan, slots);
  }

  /** A face's vector as the index holds it, or null if the face is not live. */
  vector(faceId: number): Float32Array | null {
    this.sync();
    return this.vectors.vector(faceId);
  }

  mode(): SearchMode {
    if (this.ann && this.pending.size === 0 && this.vectors.size >= this.options.annThreshold)
      return 'approximate';
    return this.vectors.size <= this.options.floatLimit ? 'exact' : 'quantised';
  }

  status(): IndexStatus {
    this.sync();
    return {
      faces: this.vectors.size,
      mode: this.mode(),
      annPending: this.ann ? this.pending.size : 0,
      annSize: this.ann?.size ?? 0,
      bytes: this.vectors.bytes(),
    };
  }

  /** Finishes the graph now (bench and tests; the app lets the background steps do it). */
  buildNow(): void {
    this.sync();
    if (!this.ann) this.startAnn();
    while (this.pending.size > 0) this.annStep(Infinity);
    this.persist();
  }

  /** Stops background work, saves the graph if it changed and trims the change log. */
  close(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    if (this.ann && this.pending.size === 0 && this.dirty) this.persist();
    else if (this.loaded) this.trimLog();
  }

  /**
   * Drops change-log entries this index no longer needs, keeping the last KEPT_CHANGES so that another
   * process reading the same catalog (the app while the CLI runs) can usually catch up without a reload.
   */
  private trimLog(): void {
    if (this.seq > KEPT_CHANGES) this.repo.prune(this.seq - KEPT_CHANGES);
  }

  private refresh(faceId: number): void {
    const row = this.repo.liveFace(faceId);
    if (row) this.vectors.upsert(row.id, row.photoId, row.embedding);
    else this.vectors.remove(faceId);
    if (this.ann) this.pending.add(faceId);
  }

  private loadAll(): void {
    // Read the log position first: a change that lands during the load is applied again next sync.
    this.seq = this.repo.lastChange();
    this.vectors = new FaceVectors();
    this.vectors.reserve(this.repo.liveFaceCount());
    for (const f of this.repo.liveFaces()) this.vectors.upsert(f.id, f.photoId, f.embedding);
    this.loaded = true;
    this.ann = null;
    this.pending.clear();
    this.loadSavedAnn();
    this.maintainAnn();
  }

  private loadSavedAnn(): void {
    const file = this.options.annFile;
    if (!file || !existsSync(`${file}.json`)) return;
    let meta: SavedMeta;
    try {
      meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as SavedMeta;
    } catch {
      return;
    }
    const sameParams = JSON.stringify(meta.params) === JSON.stringify(this.options.hnsw);
    if (meta.version !== 1 || !sameParams || meta.seq < this.repo.prunedThrough()) return;
    const ann = HnswIndex.load(file, this.options.hnsw);
    if (!ann || ann.size !== meta.size) return;
    this.ann = ann;
    for (const id of this.repo.changesSince(meta.seq).faceIds) this.pending.add(id);
  }

  private startAnn(): void {
    this.ann = new HnswIndex(this.options.hnsw);
    this.pending.clear();
    for (let slot = 0; slot < this.vectors.size; slot++) this.pending.add(this.vectors.faceAt(slot));
  }

  private maintainAnn(): void {
    if (!this.ann && this.vectors.size >= this.options.annThreshold) this.startAnn();
    if (!this.ann || this.pending.size === 0) return;
    // Small deltas are applied at once so the graph stays usable (saved on close); big ones (a build)
    // go to the background, and the graph is saved as soon as such a build completes.
    if (this.pending.size <= this.options.buildChunk) {
      this.annStep(Infinity);
      if (this.building) this.persist();
      return;
    }
    this.building = true;
    this.timer ??= setImmediate(() => {
      this.timer = null;
      this.annStep(this.options.buildChunk);
      if (this.pending.size > 0) this.maintainAnn();
      else this.persist();
    });
    this.timer.unref();
  }

  /** Moves up to `limit` pending faces into the graph (added, replaced or removed). */
  private annStep(limit: number): void {
    const ann = this.ann;
    if (!ann) return;
    const ids: number[] = [];
    for (const id of this.pending) {
      if (ids.length >= limit) break;
      ids.push(id);
    }
    const live = ids.filter((id) => this.vectors.has(id));
    const matrix = new Float32Array(live.length * DIMENSIONS);
    live.forEach((id, i) => {
      matrix.set(this.vectors.vector(id)!, i * DIMENSIONS);
    });
    for (const id of ids) if (!this.vectors.has(id)) ann.remove(id);
    ann.add(live, matrix, this.options.buildThreads);
    for (const id of ids) this.pending.delete(id);
    this.dirty = true;
  }

  private annSearch(query: Float32Array, candidates: number, photos: Set<number> | null): Hit[] {
    const hits: Hit[] = [];
    for (const faceId of this.ann!.search(query, candidates)) {
      const slot = this.vectors.slotOf(faceId);
      if (slot === undefined) continue;
      const photoId = this.vectors.photoAt(slot);
      if (photos && !photos.has(photoId)) continue;
      hits.push({ faceId, photoId, score: this.vectors.score(slot, query) });
    }
    return hits.sort((a, b) => b.score - a.score);
  }

  private slotsIn(photos: Set<number>): Int32Array {
    const out: number[] = [];
    for (let slot = 0; slot < this.vectors.size; slot++)
      if (photos.has(this.vectors.photoAt(slot))) out.push(slot);
    return Int32Array.from(out);
  }

  /** Saves the graph with the log position it reflects, then drops the log entries nobody needs. */
  private persist(): void {
    const file = this.options.annFile;
    if (!file || !this.ann || this.pending.size > 0) return;
    this.building = false;
    try {
      this.ann.save(file);
      const meta: SavedMeta = { version: 1, params: this.options.hnsw, seq: this.seq, size: this.ann.size };
      writeFileSync(`${file}.json`, JSON.stringify(meta));
      this.trimLog();
      this.dirty = false;
    } catch {
      // Saving is an optimisation (the graph is rebuilt from the catalog otherwise): never fail a search on it.
      rmSync(`${file}.json`, { force: true });
    }
  }
}
