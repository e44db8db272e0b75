/**
 * Full clustering: constrained average-linkage agglomerative clustering with quality gating.
 * - Confirmed faces start as one fixed group per person (anchors); they are never moved.
 * - Faces that pass the quality gate ("seeds") start as singletons and merge greedily, most similar pair
 *   of groups first (average similarity), while both merge tests pass and no constraint forbids it (see
 *   [Note: clustering constraints]). Two anchors never merge.
 * [Note: two merge tests] Two groups merge only when (1) their faces' average cosine similarity is at
 * least `threshold` and (2) the cosine between their mean embeddings is at least `relative`. Test 1 alone
 * cannot serve every library: one person photographed alike (LFW) has tight groups whose look-alikes sit
 * at 0.3, while a person across ages (glint_celebs24) only reaches 0.25 between their own groups. Test 2
 * divides by each group's own spread, so tight groups need more and loose groups less; measured on three
 * sets in the Grouping section of BENCHMARKS.md, with the defaults in settings.ts.
 * - Faces that fail the gate (tiny, blurred, profile) never start or shape a group; afterwards each joins
 *   the group it is most similar to on average, if both merge tests pass and it is allowed.
 * Candidate pairs come from each face's nearest neighbours above `threshold`: a pair of groups whose
 * average similarity reaches the threshold always has at least one member pair that does (max ≥ mean),
 * so with enough neighbours per face nothing is missed. Average linkage is exact: [Note: average linkage
 * by sums]. Why average linkage: single linkage (Ente) chains different people together through one
 * similar pair; DBSCAN (Immich) depends on density, which varies with how many photos a person has.
 */
import type { FaceConstraints } from './constraints';
import { Group } from './group';
import { PairHeap, type PairTop } from './max-heap';
import { neighboursAbove, type NeighbourSearch } from './neighbour-search';

export interface ClusterFace extends FaceConstraints {
  embedding: Float32Array;
  /** Passes the quality gate: may start and shape a group. */
  seed: boolean;
}

export interface ClusterOptions {
  /** Minimum average cosine similarity for two groups to merge or a face to join. */
  threshold: number;
  /** Minimum cosine between the groups' mean embeddings: [Note: two merge tests]. */
  relative: number;
  /** Neighbours per face considered as merge candidates. */
  maxNeighbours?: number;
  /**
   * Precomputed candidate neighbours of the seeds and anchors (in input order), from nearestAbove with a
   * floor at most `threshold` (the bench reuses one graph across settings).
   */
  neighbours?: number[][];
  /** How neighbours are searched (exact or IVF lists); default by size, see neighbour-search.ts. */
  search?: NeighbourSearch;
}

export interface ClusterResult {
  /** Per input face: index into groups, or -1 when the face is in no group. */
  groupOf: Int32Array;
  groups: { members: number[]; person: number | null }[];
}

export function clusterBatch(faces: readonly ClusterFace[], options: ClusterOptions): ClusterResult {
  const { threshold } = options;
  const k = options.maxNeighbours ?? 64;
  const accept = { threshold, relative: options.relative };
  const dim = faces[0]?.embedding.length ?? 0;
  const groups: Group[] = [];
  const groupOf = new Int32Array(faces.length).fill(-1);

  // Anchors: one group per confirmed person, every confirmed face in it whatever its quality.
  const anchorOf = new Map<number, number>();
  faces.forEach((f, i) => {
    if (f.person === null) return;
    let g = anchorOf.get(f.person);
    if (g === undefined) {
      g = groups.push(new Group(dim)) - 1;
      anchorOf.set(f.person, g);
    }
    groups[g]!.add(i, f, f.embedding, true);
    groupOf[i] = g;
  });
  faces.forEach((f, i) => {
    if (f.person !== null || !f.seed) return;
    const g = groups.push(new Group(dim)) - 1;
    groups[g]!.add(i, f, f.embedding, true);
    groupOf[i] = g;
  });

  const core: number[] = [];
  faces.forEach((_, i) => {
    if (groupOf[i]! >= 0) core.push(i);
  });
  const coreVectors = core.map((i) => faces[i]!.embedding);
  const neighbours =
    options.neighbours ?? neighboursAbove(coreVectors, coreVectors, threshold, k, true, options.search);

  const adjacency = new Adjacency(groups.length, neighbours, (ci) => groupOf[core[ci]!]!);
  const heap = new PairHeap();
  const pushPair = (a: number, b: number): void => {
    const ga = groups[a]!;
    const gb = groups[b]!;
    if (ga.person !== null && gb.person !== null) return;
    if (ga.accepts(gb, accept)) heap.push(ga.link(gb), a, b, ga.version, gb.version);
  };
  for (let a = 0; a < groups.length; a++) for (const b of adjacency.of(a)) if (a < b) pushPair(a, b);

  const top: PairTop = { key: 0, a: 0, b: 0, va: 0, vb: 0 };
  while (heap.pop(top)) {
    const { a, b, va, vb } = top;
    const ga = groups[a]!;
    const gb = groups[b]!;
    if (!ga.alive || !gb.alive || ga.version !== va || gb.version !== vb) continue;
    if (ga.constraints.conflicts(gb.constraints)) continue;
    // Keep the anchor (or the larger group) as the survivor, so anchor indices stay valid.
    const keepA = ga.person !== null || (gb.person === null && ga.members.length >= gb.members.length);
    const [keep, gone] = keepA ? [a, b] : [b, a];
    groups[keep]!.absorb(groups[gone]!);
    for (const m of groups[gone]!.members) groupOf[m] = keep;
    for (const x of adjacency.merge(keep, gone)) pushPair(keep, x);
  }

  attachNonSeeds(faces, groups, groupOf, core, accept, k, options.search);
  return compact(groups, groupOf);
}

/** Each gated-out face joins the allowed group it is most similar to on average, if similar enough. */
function attachNonSeeds(
  faces: readonly ClusterFace[],
  groups: Group[],
  groupOf: Int32Array,
  core: number[],
  accept: { threshold: number; relative: number },
  k: number,
  search: NeighbourSearch | undefined,
): void {
  const rest: number[] = [];
  faces.forEach((_, i) => {
    if (groupOf[i]! < 0) rest.push(i);
  });
  if (rest.length === 0 || core.length === 0) return;
  const coreVectors = core.map((i) => faces[i]!.embedding);
  const near = neighboursAbove(
    rest.map((i) => faces[i]!.embedding),
    coreVectors,
    accept.threshold,
    k,
    false,
    search,
  );
  rest.forEach((i, r) => {
    const face = faces[i]!;
    let best = -1;
    let bestLink = -Infinity;
    for (const g of new Set(near[r]!.map((c) => groupOf[core[c]!]!))) {
      const group = groups[g]!;
      const link = group.linkTo(face.embedding);
      if (
        link > bestLink &&
        group.acceptsFace(face.embedding, accept) &&
        !group.constraints.conflictsWithFace(face)
      ) {
        best = g;
        bestLink = link;
      }
    }
    if (best >= 0) {
      groups[best]!.add(i, face, face.embedding, false);
      groupOf[i] = best;
    }
  });
}

function compact(groups: Group[], groupOf: Int32Array): ClusterResult {
  const remap = new Int32Array(groups.length).fill(-1);
  const out: ClusterResult['groups'] = [];
  groups.forEach((g, i) => {
    if (!g.alive || g.members.length === 0) return;
    remap[i] = out.length;
    out.push({ members: [...g.members].sort((x, y) => x - y), person: g.person });
  });
  return { groupOf: groupOf.map((g) => (g >= 0 ? remap[g]! : -1)), groups: out };
}

/**
 * Which groups have a candidate pair between them, kept through the merges. [Note: adjacency by merged
 * ids] Each group's neighbours are a packed list; a merge gives the survivor the union of both lists, and
 * the other groups' lists keep naming the absorbed group until they are rebuilt, read through `find`
 * (absorbed → survivor). A Set per group, updated in every neighbour on every merge, held several
 * hundred bytes a face at 250 000 faces.
 */
class Adjacency {
  private readonly lists: Int32Array[];
  private readonly parent: Int32Array;
  /** Per group: the merge that last listed it, to drop repeats without a set. */
  private readonly stamp: Int32Array;
  private merges = 0;

  /** `groupOfNode(ci)`: the group of the ci-th face of `neighbours` (lists of face positions). */
  constructor(
    groups: number,
    neighbours: readonly (readonly number[])[],
    groupOfNode: (ci: number) => number,
  ) {
    this.parent = Int32Array.from({ length: groups }, (_, g) => g);
    this.stamp = new Int32Array(groups).fill(-1);
    // Both directions of every candidate pair, in the order the lists give them, repeats dropped.
    const degree = new Int32Array(groups);
    neighbours.forEach((list, ci) => {
      const ga = groupOfNode(ci);
      for (const cj of list) {
        const gb = groupOfNode(cj);
        if (ga === gb) continue;
        degree[ga]!++;
        degree[gb]!++;
      }
    });
    const start = new Int32Array(groups + 1);
    for (let g = 0; g < groups; g++) start[g + 1] = start[g]! + degree[g]!;
    const flat = new Int32Array(start[groups]!);
    const fill = start.slice(0, groups);
    neighbours.forEach((list, ci) => {
      const ga = groupOfNode(ci);
      for (const cj of list) {
        const gb = groupOfNode(cj);
        if (ga === gb) continue;
        flat[fill[ga]!++] = gb;
        flat[fill[gb]!++] = ga;
      }
    });
    this.lists = Array.from({ length: groups }, (_, g) => {
      const tag = -2 - g;
      let n = 0;
      const list = flat.subarray(start[g], start[g + 1]);
      for (const x of list) {
        if (this.stamp[x] === tag) continue;
        this.stamp[x] = tag;
        list[n++] = x;
      }
      return list.subarray(0, n);
    });
    this.stamp.fill(-1);
  }

  /** The groups adjacent to `g` (alive when `g` is; may name absorbed groups, see `find`). */
  of(g: number): Int32Array {
    return this.lists[g]!;
  }

  /** The group an absorbed group now lives in. */
  find(g: number): number {
    let root = g;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[g] !== root) {
      const next = this.parent[g]!;
      this.parent[g] = root;
      g = next;
    }
    return root;
  }

  /** Records that `keep` absorbed `gone`; returns keep's neighbours now (each once, never keep). */
  merge(keep: number, gone: number): Int32Array {
    this.parent[gone] = keep;
    const tag = this.merges++;
    const a = this.lists[keep]!;
    const b = this.lists[gone]!;
    const out = new Int32Array(a.length + b.length);
    let n = 0;
    for (const list of [a, b])
      for (const x of list) {
        const g = this.find(x);
        if (g === keep || this.stamp[g] === tag) continue;
        this.stamp[g] = tag;
        out[n++] = g;
      }
    this.lists[gone] = EMPTY;
    this.lists[keep] = n === out.length ? out : out.slice(0, n);
    return this.lists[keep];
  }
}

const EMPTY = new Int32Array(0);
