/**
 * The measurement behind [Note: grouping neighbours from IVF lists]: on the synthetic library, the IVF
 * lists and the usearch HNSW graph each find every face's neighbours above the grouping threshold; recall
 * is measured against an exact float scan (usearch exactSearch) for a sample of faces.
 */
import { exactSearch, MetricKind } from 'usearch';
import {
  DEFAULT_ANN_OPTIONS,
  hnswNearestAbove,
  ivfNearestAbove,
} from '../../main/engine/people/ann-neighbours';
import { DIMENSIONS } from '../../main/engine/search/face-vectors';

export interface AnnRun {
  method: string;
  ms: number;
  recall: number;
  pairs: number;
}

function exactLists(
  vectors: readonly Float32Array[],
  sample: number[],
  floor: number,
  k: number,
): number[][] {
  const base = new Float32Array(vectors.length * DIMENSIONS);
  vectors.forEach((v, i) => {
    base.set(v, i * DIMENSIONS);
  });
  const q = new Float32Array(sample.length * DIMENSIONS);
  sample.forEach((i, r) => {
    q.set(vectors[i]!, r * DIMENSIONS);
  });
  const m = exactSearch(base, q, DIMENSIONS, k + 1, MetricKind.IP, 2);
  return sample.map((self, r) => {
    const out: number[] = [];
    for (let j = 0; j <= k; j++) {
      const key = Number(m.keys[r * (k + 1) + j]!);
      if (key !== self && 1 - m.distances[r * (k + 1) + j]! >= floor && out.length < k) out.push(key);
    }
    return out;
  });
}

function recall(found: number[][], truth: number[][], sample: number[]): number {
  let hit = 0;
  let all = 0;
  sample.forEach((i, r) => {
    const got = new Set(found[i]);
    for (const j of truth[r]!) {
      all++;
      if (got.has(j)) hit++;
    }
  });
  return all ? hit / all : 1;
}

export function compareAnn(
  vectors: readonly Float32Array[],
  floor: number,
  k: number,
  log: (l: string) => void,
  hnsw = false,
): AnnRun[] {
  const step = Math.max(1, Math.floor(vectors.length / 400));
  const sample = vectors.map((_, i) => i).filter((i) => i % step === 0);
  const truth = exactLists(vectors, sample, floor, k);
  const runs: AnnRun[] = [];
  const time = (method: string, f: () => number[][]): void => {
    const t = performance.now();
    const lists = f();
    const ms = performance.now() - t;
    const pairs = lists.reduce((n, l) => n + l.length, 0);
    runs.push({ method, ms, recall: recall(lists, truth, sample), pairs });
    log(`  ${method}: ${Math.round(ms)} ms, recall ${recall(lists, truth, sample).toFixed(4)}`);
  };
  for (const probes of [8, DEFAULT_ANN_OPTIONS.probes, 24])
    time(`IVF int8, ${DEFAULT_ANN_OPTIONS.listSize} faces/list, ${probes} probes`, () =>
      ivfNearestAbove(vectors, vectors, floor, k, true, { ...DEFAULT_ANN_OPTIONS, probes }),
    );
  if (hnsw)
    time('HNSW f16, M 16, ef_add 128, ef_search 128, 2 threads', () =>
      hnswNearestAbove(vectors, vectors, floor, k, true, {
        connectivity: 16,
        expansionAdd: 128,
        expansionSearch: 128,
        threads: 2,
        margin: DEFAULT_ANN_OPTIONS.margin,
      }),
    );
  return runs;
}
