/**
 * A grouping run's outcome as plain data (GroupingPlan), from clustering's result to what the writes
 * apply: full runs plan in the worker thread and the serving thread writes ([Note: grouping writes in
 * chunks], cluster-service.ts), so a plan holds no embeddings and crosses threads as it is.
 */
import type { ClusterFaceRow } from '../catalog/cluster-repo';
import type { ClusterFace } from './cluster-batch';
import { layoutOf, type MeanIndexLayout } from './group-mean-index';
import { EXACT_BASE_LIMIT } from './neighbour-search';
import { isSeedQuality, type PeopleSettings } from './settings';
import { addInto } from './vectors';
import { normaliseInPlace } from '../embedding-dot';

export interface ClusterRunSummary {
  mode: 'full' | 'incremental';
  faces: number;
  placed: number;
  groups: number;
  suggested: number;
  ms: number;
  /** Faces an edit changed while the run computed: left for the next incremental run. */
  skipped: number;
}

export type PlanRow = Omit<ClusterFaceRow, 'embedding'>;

/** A face as clustering takes it; constraints only where a run needs them (a summary does not). */
export function clusterFace(
  r: PlanRow,
  embedding: Float32Array,
  s: PeopleSettings,
  rejected: number[] = [],
  splits: [number, number][] = [],
): ClusterFace {
  return {
    faceId: r.id,
    photoId: r.photoId,
    embedding,
    person: r.kind === 'confirmed' ? r.personId : null,
    rejected,
    splits,
    seed: isSeedQuality(r.quality, s),
  };
}

/** A run's outcome before it is written; plain data, so it crosses from the worker thread. */
export interface GroupingPlan {
  mode: ClusterRunSummary['mode'];
  started: number;
  rows: PlanRow[];
  /** Per row: index into groups, or -1. */
  groupOf: Int32Array;
  groups: { person: number | null; clusterId: number | null }[];
  /** A full run's group summaries, packed per group: [Note: summaries from the full re-group]. */
  summaries?: {
    means: Float32Array;
    shaping: Int32Array;
    person: Int32Array;
    /**
     * In a large library, the lists of the index of means (home: per group, -1 for a group that shapes
     * nothing), trained on the `trainedFor` groups that shape a mean: [Note: the index of means from the
     * full re-group].
     */
    index?: MeanIndexLayout & { trainedFor: number };
  };
}

/**
 * Each planned group's summary from its final members, summed in face id order exactly as
 * summariseGroup sums a group's members (so the serving thread's own summaries would be bit-identical).
 */
export function planSummaries(
  inputs: readonly ClusterFace[],
  planned: GroupingPlan,
): GroupingPlan['summaries'] {
  const dim = inputs[0]?.embedding.length ?? 0;
  const groups = planned.groups.length;
  const means = new Float32Array(groups * dim);
  const shaping = new Int32Array(groups);
  const person = new Int32Array(groups).fill(-1);
  planned.groupOf.forEach((g, i) => {
    if (g < 0) return;
    const f = inputs[i]!;
    if (f.person !== null) person[g] = f.person;
    if (f.person !== null || f.seed) {
      addInto(means.subarray(g * dim, (g + 1) * dim), f.embedding);
      shaping[g]!++;
    }
  });
  for (let g = 0; g < groups; g++) normaliseInPlace(means.subarray(g * dim, (g + 1) * dim));
  // Where the serving thread searches an index of means (warm), the worker lays it out too.
  const shapes = Array.from(shaping.keys()).filter((g) => shaping[g]! > 0);
  if (shapes.length <= EXACT_BASE_LIMIT) return { means, shaping, person };
  const layout = layoutOf(shapes.map((g) => means.subarray(g * dim, (g + 1) * dim)));
  const home = new Int32Array(groups).fill(-1);
  shapes.forEach((g, i) => {
    home[g] = layout.home[i]!;
  });
  return {
    means,
    shaping,
    person,
    index: { centroidCodes: layout.centroidCodes, home, trainedFor: shapes.length },
  };
}

export interface WriteTally {
  placed: number;
  suggested: number;
  skipped: number;
}

export function summarise(plan: GroupingPlan, tally: WriteTally): ClusterRunSummary {
  return {
    mode: plan.mode,
    faces: plan.rows.length,
    placed: tally.placed,
    groups: plan.groups.filter((g) => g.person === null).length,
    suggested: tally.suggested,
    ms: Date.now() - plan.started,
    skipped: tally.skipped,
  };
}

export function plan(
  mode: ClusterRunSummary['mode'],
  rows: ClusterFaceRow[],
  groups: { members: number[]; person: number | null; clusterId: number | null }[],
  groupOf: Int32Array,
  started: number,
  taken: (clusterId: number) => boolean = () => false,
): GroupingPlan {
  // A named person's group: its confirmed faces stay the person's; the others become an unnamed group
  // (see the header), taking the old id most of them had when no other group kept it (`taken`: groups
  // an incremental run did not look at).
  const out = groups.map((g) => ({ person: g.person, clusterId: g.clusterId }));
  const used = new Set(out.flatMap((g) => (g.person === null && g.clusterId !== null ? [g.clusterId] : [])));
  for (const g of groups) {
    if (g.person === null) continue;
    const free = g.members.filter((m) => rows[m]!.kind !== 'confirmed');
    if (free.length === 0) continue;
    const counts = new Map<number, number>();
    for (const m of free) {
      const old = rows[m]!.clusterId;
      if (old !== null && !used.has(old) && !taken(old)) counts.set(old, (counts.get(old) ?? 0) + 1);
    }
    const reuse = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
    if (reuse !== null) used.add(reuse);
    const at = out.push({ person: null, clusterId: reuse }) - 1;
    for (const m of free) groupOf[m] = at;
  }
  return {
    mode,
    started,
    // A full run's plan crosses from the worker thread: without embeddings it is a fraction of the size.
    // An incremental run's stays on this thread, and copying 250 000 rows cost more than its real work.
    rows: mode === 'full' ? rows.map(({ embedding: _, ...r }) => r) : rows,
    groupOf,
    groups: out,
  };
}
