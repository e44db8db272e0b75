/**
 * The baselines the people bench compares against, written from the public descriptions of each app's
 * clustering (same embeddings, same faces):
 * - Ente-like "linear clustering": faces in order; each joins the group of its most similar earlier face
 *   if the cosine similarity is at least t, else starts a new group (single linkage, sequential).
 * - Immich-like DBSCAN: a face is "core" when at least minFaces faces (itself included) lie within cosine
 *   distance d; core faces join the group of their nearest already-grouped neighbour within d, else start
 *   one; non-core faces are deferred and then only join an existing group (else stay ungrouped).
 */
import { dot } from '../../main/engine/people/vectors';

export function enteLinear(vectors: readonly Float32Array[], threshold: number): Int32Array {
  const group = new Int32Array(vectors.length).fill(-1);
  let groups = 0;
  for (let i = 0; i < vectors.length; i++) {
    let best = -1;
    let bestSim = threshold;
    for (let j = 0; j < i; j++) {
      const s = dot(vectors[i]!, vectors[j]!);
      if (s >= bestSim) {
        bestSim = s;
        best = j;
      }
    }
    group[i] = best >= 0 ? group[best]! : groups++;
  }
  return group;
}

export function immichDbscan(
  vectors: readonly Float32Array[],
  maxDistance: number,
  minFaces: number,
): Int32Array {
  const n = vectors.length;
  const minSim = 1 - maxDistance;
  const within: number[][] = vectors.map(() => []);
  const sims: number[][] = vectors.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(vectors[i]!, vectors[j]!);
      if (s < minSim) continue;
      within[i]!.push(j);
      sims[i]!.push(s);
      within[j]!.push(i);
      sims[j]!.push(s);
    }
  }
  const group = new Int32Array(n).fill(-1);
  let groups = 0;
  const nearestGrouped = (i: number): number => {
    let best = -1;
    let bestSim = -Infinity;
    within[i]!.forEach((j, k) => {
      if (group[j]! >= 0 && sims[i]![k]! > bestSim) {
        bestSim = sims[i]![k]!;
        best = j;
      }
    });
    return best;
  };
  const deferred: number[] = [];
  for (let i = 0; i < n; i++) {
    const core = within[i]!.length + 1 >= minFaces;
    if (!core) {
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
