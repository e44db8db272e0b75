/**
 * The baselines the people bench compares against, written from the public descriptions of each app's
 * clustering and run on the same embeddings (a precomputed similarity matrix):
 * - Ente-like "linear clustering": faces in order; each joins the group of its most similar earlier face
 *   if the cosine similarity is at least t, else starts a new group (sequential single linkage).
 * - Immich-like DBSCAN: a face is "core" when at least minFaces faces (itself included) lie within cosine
 *   distance d; core faces join the group of their nearest already-grouped neighbour within d, else start
 *   one; non-core faces are deferred and then only join an existing group (else stay ungrouped).
 */
import { dot } from '../../main/engine/embedding-dot';

/** Row-major n×n cosine similarities. */
export interface SimilarityMatrix {
  n: number;
  sim: Float32Array;
}

export function similarityMatrix(vectors: readonly Float32Array[]): SimilarityMatrix {
  const n = vectors.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const s = dot(vectors[i]!, vectors[j]!);
      sim[i * n + j] = s;
      sim[j * n + i] = s;
    }
  }
  return { n, sim };
}

/** Up to k neighbours per face with similarity ≥ floor, best first (clusterBatch's candidate graph). */
export function neighbourGraph(m: SimilarityMatrix, floor: number, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.n; i++) {
    const row: [number, number][] = [];
    for (let j = 0; j < m.n; j++) {
      const s = m.sim[i * m.n + j]!;
      if (j !== i && s >= floor) row.push([j, s]);
    }
    row.sort((a, b) => b[1] - a[1]);
    out.push(row.slice(0, k).map(([j]) => j));
  }
  return out;
}

/** Ente-like linear clustering at each threshold (the nearest earlier face does not depend on t). */
export function enteLinear(m: SimilarityMatrix, thresholds: readonly number[]): Int32Array[] {
  const nearest = new Int32Array(m.n).fill(-1);
  const nearestSim = new Float32Array(m.n).fill(-Infinity);
  for (let i = 1; i < m.n; i++)
    for (let j = 0; j < i; j++) {
      const s = m.sim[i * m.n + j]!;
      if (s > nearestSim[i]!) {
        nearestSim[i] = s;
        nearest[i] = j;
      }
    }
  return thresholds.map((t) => {
    const group = new Int32Array(m.n);
    let groups = 0;
    for (let i = 0; i < m.n; i++)
      group[i] = nearest[i]! >= 0 && nearestSim[i]! >= t ? group[nearest[i]!]! : groups++;
    return group;
  });
}

export function immichDbscan(m: SimilarityMatrix, maxDistance: number, minFaces: number): Int32Array {
  const { n, sim } = m;
  const minSim = 1 - maxDistance;
  const group = new Int32Array(n).fill(-1);
  let groups = 0;
  const nearestGrouped = (i: number): number => {
    let best = -1;
    let bestSim = -Infinity;
    for (let j = 0; j < n; j++) {
      const s = sim[i * n + j]!;
      if (j !== i && s >= minSim && group[j]! >= 0 && s > bestSim) [best, bestSim] = [j, s];
    }
    return best;
  };
  const deferred: number[] = [];
  for (let i = 0; i < n; i++) {
    let within = 1;
    for (let j = 0; j < n; j++) if (j !== i && sim[i * n + j]! >= minSim) within++;
    if (within < minFaces) {
      deferred.push(i);
      continue;
    }
    const j = nearestGrouped(i);
    group[i] = j >= 0 ? group[j]! : groups++;
  }
  for (const i of deferred) {
    const j = nearestGrouped(i);
    if (j >= 0) group[i] = group[j]!;
  }
  return group;
}
