/**
 * Grouping over the catalog: reads faces, runs full or incremental clustering, writes the outcome.
 * [Note: user work is sacred] Clustering only ever writes unnamed-group ids and machine suggestions with
 * source 'cluster'. It reads confirmed faces as anchors and rejections/splits as constraints, and never
 * writes any of them; faces the recogniser (the trained head) has assigned are left to it.
 * [Note: calibrated recognition] Grouping never names a face: the faces a run finds alike to a named
 * person's confirmed faces become one unnamed group (keeping the id most of them had), which recognition
 * then offers as a whole ("these 5 faces look like Ann") when, and only when, its calibrated rule is sure
 * enough. (Before that rule, such faces were suggested to the person here, with
 * its average similarity to the person's confirmed faces as confidence.
 */
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterFaceRow, ClusterRepo } from '../catalog/cluster-repo';
import type { Db } from '../catalog/database';
import type { SearchRepo } from '../catalog/search-repo';
import { clusterBatch, type ClusterFace } from './cluster-batch';
import { clusterIncremental } from './cluster-incremental';
import { isSeedQuality, type PeopleSettings } from './settings';

export const CLUSTER_SOURCE = 'cluster';

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

/** Progress and cancel for a run (the worker's full re-group reports through these). */
export interface RunHooks {
  progress?: (phase: string, done: number, total: number) => void;
  /** Checked between write chunks; true stops the run (GroupingCancelled). */
  cancelled?: () => boolean;
  /** Longest a write transaction may run, in ms (default WRITE_CHUNK_MS). */
  chunkMs?: number;
}

export class GroupingCancelled extends Error {
  constructor() {
    super('Grouping was cancelled.');
    this.name = 'GroupingCancelled';
  }
}

/** Longest a write transaction runs: [Note: grouping writes in chunks]. */
export const WRITE_CHUNK_MS = 25;

export interface ClusterServiceDeps {
  db: Db;
  clusters: ClusterRepo;
  assignments: AssignmentsRepo;
  settings: () => PeopleSettings;
  /**
   * The face change log: with it, embeddings are kept between runs and only changed faces are re-read,
   * so an incremental run after an edit does not read every embedding again ([Note: face change log]).
   */
  faceChanges?: Pick<SearchRepo, 'changesSince' | 'prunedThrough' | 'lastChange'>;
}

interface Loaded {
  rows: ClusterFaceRow[];
  inputs: ClusterFace[];
}

/** Faces clustering may place: no assignment, or one clustering itself made. */
const isFree = (r: ClusterFaceRow): boolean =>
  r.kind === null || (r.kind !== 'confirmed' && r.source === CLUSTER_SOURCE);

export class ClusterService {
  private readonly cache = new Map<number, Float32Array>();
  private seq = -1;
  /**
   * [Note: faces left ungrouped] Faces a run tried and left in no group (gated-out faces no group
   * accepted). Incremental runs do not try them again — at 250 000 faces tens of thousands of such faces
   * would otherwise be searched after every edit — until the face itself changes (its embedding, or any
   * assignment or group in between) or a full re-group tries everything again.
   */
  private readonly leftOut = new Set<number>();
  /** Each person's confirmed face ids as the last incremental run saw them (which anchors changed). */
  private anchorsSeen = new Map<number, string>();

  constructor(private readonly deps: ClusterServiceDeps) {}

  /** Rows with embeddings: from the cache and the change log when there is one, else all from the catalog. */
  private rows(): ClusterFaceRow[] {
    const { clusters, faceChanges } = this.deps;
    if (!faceChanges) return clusters.faces();
    if (this.seq < 0 || faceChanges.prunedThrough() > this.seq) {
      this.cache.clear();
      this.seq = faceChanges.lastChange();
    } else {
      const { seq, faceIds } = faceChanges.changesSince(this.seq);
      for (const id of faceIds) {
        this.cache.delete(id);
        this.leftOut.delete(id);
      }
      this.seq = seq;
    }
    const states = clusters.faceStates();
    const missing = states.filter((r) => !this.cache.has(r.id)).map((r) => r.id);
    for (const [id, v] of clusters.embeddings(missing)) this.cache.set(id, v);
    return states.flatMap((r) => {
      const embedding = this.cache.get(r.id);
      return embedding ? [{ ...r, embedding }] : [];
    });
  }

  private load(): Loaded {
    const s = this.deps.settings();
    const rejections = this.deps.clusters.rejections();
    const splits = this.deps.clusters.splits();
    const rows = this.rows().filter((r) => r.kind === 'confirmed' || isFree(r));
    const inputs = rows.map((r): ClusterFace => ({
      faceId: r.id,
      photoId: r.photoId,
      embedding: r.embedding,
      person: r.kind === 'confirmed' ? r.personId : null,
      rejected: rejections.get(r.id) ?? [],
      splits: splits.get(r.id) ?? [],
      seed: isSeedQuality(r.quality, s),
    }));
    return { rows, inputs };
  }

  /** Re-groups every face without a person from scratch; names, confirmations and rejections are untouched. */
  full(hooks: RunHooks = {}): ClusterRunSummary {
    return this.write(this.planFull(hooks), hooks);
  }

  /** The full re-group's outcome, computed but not written (the worker computes, the serving thread writes). */
  planFull(hooks: RunHooks = {}): GroupingPlan {
    const started = Date.now();
    hooks.progress?.('reading faces', 0, 1);
    const { rows, inputs } = this.load();
    const s = this.deps.settings();
    hooks.progress?.('grouping', 0, 1);
    const result = clusterBatch(inputs, { threshold: s.groupingThreshold, relative: s.groupingRelative });
    if (hooks.cancelled?.()) throw new GroupingCancelled();
    // Keep group ids stable: a new group takes the old id most of its faces had.
    const overlap: { group: number; old: number; n: number }[] = [];
    result.groups.forEach((g, gi) => {
      if (g.person !== null) return;
      const counts = new Map<number, number>();
      for (const m of g.members) {
        const old = rows[m]!.clusterId;
        if (old !== null) counts.set(old, (counts.get(old) ?? 0) + 1);
      }
      for (const [old, n] of counts) overlap.push({ group: gi, old, n });
    });
    overlap.sort((a, b) => b.n - a.n || a.old - b.old);
    const idOf = new Map<number, number>();
    const usedOld = new Set<number>();
    for (const o of overlap) {
      if (idOf.has(o.group) || usedOld.has(o.old)) continue;
      idOf.set(o.group, o.old);
      usedOld.add(o.old);
    }
    const groups = result.groups.map((g, gi) => ({
      members: g.members,
      person: g.person,
      clusterId: g.person === null ? (idOf.get(gi) ?? null) : null,
    }));
    return plan('full', rows, groups, result.groupOf, started);
  }

  /** Places faces that are in no group yet (new photos, faces freed by a rejection) into the current groups. */
  incremental(): ClusterRunSummary {
    const started = Date.now();
    const { rows, inputs } = this.load();
    const existing: number[][] = [];
    const existingCluster: (number | null)[] = [];
    const anchorIndex = new Map<number, number>();
    const clusterIndex = new Map<number, number>();
    const fresh: number[] = [];
    rows.forEach((r, i) => {
      // Confirmed faces and faces clustering already suggested to someone make up that person's group.
      const person = r.kind !== null ? r.personId : null;
      if (person !== null) {
        let e = anchorIndex.get(person);
        if (e === undefined) {
          e = existing.push([]) - 1;
          existingCluster.push(null);
          anchorIndex.set(person, e);
        }
        existing[e]!.push(i);
      } else if (r.clusterId !== null) {
        let e = clusterIndex.get(r.clusterId);
        if (e === undefined) {
          e = existing.push([]) - 1;
          existingCluster.push(r.clusterId);
          clusterIndex.set(r.clusterId, e);
        }
        existing[e]!.push(i);
      } else if (!this.leftOut.has(r.id)) {
        fresh.push(i);
      }
      if (person !== null || r.clusterId !== null) this.leftOut.delete(r.id);
    });
    const anchors = new Map<number, string>();
    rows.forEach((r) => {
      if (r.kind === 'confirmed' && r.personId !== null)
        anchors.set(r.personId, `${anchors.get(r.personId) ?? ''},${r.id}`);
    });
    const changedAnchors = new Set<number>();
    for (const [person, key] of anchors) if (this.anchorsSeen.get(person) !== key) changedAnchors.add(person);
    const s = this.deps.settings();
    const result = clusterIncremental(inputs, existing, fresh, {
      threshold: s.groupingThreshold,
      relative: s.groupingRelative,
      anchorsChanged: changedAnchors,
    });
    for (const i of fresh) if (result.groupOf[i]! < 0) this.leftOut.add(rows[i]!.id);
    this.anchorsSeen = anchors;
    const groups = result.groups.map((g) => ({
      members: g.members,
      person: g.person,
      clusterId: g.person === null && g.from >= 0 ? existingCluster[g.from]! : null,
    }));
    const planned = plan('incremental', rows, groups, result.groupOf, started);
    return this.write(planned, { chunkMs: Infinity });
  }

  /**
   * [Note: grouping writes in chunks] The outcome is written in short transactions (a few tens of
   * milliseconds each, on the serving thread), so a full re-group never holds the catalog for long:
   * reads and edits are served between chunks. Each face is re-read inside its chunk and skipped when an
   * edit changed it since the run read it (a confirmation, a rejection, a split), so a run never
   * overwrites newer user work; the incremental run after it places the skipped faces.
   */
  writeChunk(plan: GroupingPlan, from: number, budgetMs: number, tally: WriteTally): number {
    const { db, clusters, assignments } = this.deps;
    const { rows, groupOf, groups } = plan;
    const current = (r: PlanRow): boolean => {
      const now = clusters.current(r.id);
      return (
        now !== null &&
        now.clusterId === r.clusterId &&
        now.personId === r.personId &&
        now.kind === r.kind &&
        now.source === r.source
      );
    };
    // A face the plan leaves as it was read needs no write, and no re-read: an incremental run at
    // 250 000 faces changes a few hundred of them.
    const unchanged = (r: PlanRow, gi: number): boolean => {
      if (r.kind === 'confirmed') return r.clusterId === null;
      if (gi < 0) return r.kind === null && r.clusterId === null;
      const target = groups[gi]!.clusterId;
      return r.kind === null && target !== null && r.clusterId === target;
    };
    const applyFace = (i: number): void => {
      const r = rows[i]!;
      const gi = groupOf[i]!;
      if (gi >= 0 && r.kind !== 'confirmed') tally.placed++;
      if (gi < 0 && r.kind !== 'confirmed') this.leftOut.add(r.id);
      if (unchanged(r, gi)) return;
      if (!current(r)) {
        if (gi >= 0 && r.kind !== 'confirmed') tally.placed--;
        this.leftOut.delete(r.id);
        tally.skipped++;
        return;
      }
      if (r.kind === 'confirmed') {
        if (r.clusterId !== null) clusters.setCluster(r.id, null);
        return;
      }
      if (gi < 0) {
        if (r.kind !== null) assignments.clearMachine(r.id);
        if (r.clusterId !== null) clusters.setCluster(r.id, null);
        return;
      }
      const g = groups[gi]!;
      g.clusterId ??= clusters.nextClusterId();
      if (r.kind !== null) assignments.clearMachine(r.id);
      if (r.clusterId !== g.clusterId) clusters.setCluster(r.id, g.clusterId);
    };
    let i = from;
    db.transaction(() => {
      const started = performance.now();
      while (i < rows.length) {
        applyFace(i++);
        if ((i & 63) === 0 && performance.now() - started >= budgetMs) break;
      }
    })();
    return i;
  }

  /** Writes a plan in one go (chunk by chunk, without yielding): incremental runs and in-process full runs. */
  write(plan: GroupingPlan, hooks: RunHooks = {}): ClusterRunSummary {
    const tally: WriteTally = { placed: 0, suggested: 0, skipped: 0 };
    for (let at = 0; at < plan.rows.length;) {
      if (hooks.cancelled?.()) throw new GroupingCancelled();
      at = this.writeChunk(plan, at, hooks.chunkMs ?? WRITE_CHUNK_MS, tally);
      hooks.progress?.('writing groups', at, plan.rows.length);
    }
    return summarise(plan, tally);
  }
}

export type PlanRow = Omit<ClusterFaceRow, 'embedding'>;

/** A run's outcome before it is written; plain data, so it crosses from the worker thread. */
export interface GroupingPlan {
  mode: ClusterRunSummary['mode'];
  started: number;
  rows: PlanRow[];
  /** Per row: index into groups, or -1. */
  groupOf: Int32Array;
  groups: { person: number | null; clusterId: number | null }[];
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

function plan(
  mode: ClusterRunSummary['mode'],
  rows: ClusterFaceRow[],
  groups: { members: number[]; person: number | null; clusterId: number | null }[],
  groupOf: Int32Array,
  started: number,
): GroupingPlan {
  // A named person's group: its confirmed faces stay the person's; the others become an unnamed group
  // (see the header), taking the old id most of them had when no other group of this run kept it.
  const out = groups.map((g) => ({ person: g.person, clusterId: g.clusterId }));
  const used = new Set(out.flatMap((g) => (g.person === null && g.clusterId !== null ? [g.clusterId] : [])));
  for (const g of groups) {
    if (g.person === null) continue;
    const free = g.members.filter((m) => rows[m]!.kind !== 'confirmed');
    if (free.length === 0) continue;
    const counts = new Map<number, number>();
    for (const m of free) {
      const old = rows[m]!.clusterId;
      if (old !== null && !used.has(old)) counts.set(old, (counts.get(old) ?? 0) + 1);
    }
    const reuse = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
    if (reuse !== null) used.add(reuse);
    const at = out.push({ person: null, clusterId: reuse }) - 1;
    for (const m of free) groupOf[m] = at;
  }
  return {
    mode,
    started,
    rows: rows.map(({ embedding: _, ...r }) => r),
    groupOf,
    groups: out,
  };
}
