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
import type { GroupingChangesRepo } from '../catalog/grouping-changes-repo';
import type { SearchRepo } from '../catalog/search-repo';
import { clusterBatch, type ClusterFace } from './cluster-batch';
import { clusterIncremental, summariseGroup, type GroupSummary } from './cluster-incremental';
import { LeftOutFaces } from './left-out-faces';
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
  /**
   * The grouping change log: with it (and faceChanges), every face's grouping state is kept between
   * runs and only the faces it names are read again ([Note: grouping change log]).
   */
  groupChanges?: Pick<GroupingChangesRepo, 'changesSince' | 'prunedThrough' | 'lastChange' | 'prune'>;
}

/** Log entries the service applies before it prunes the grouping change log. */
const PRUNE_AFTER = 100_000;

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
  /** Grouping state of every live face, kept with the grouping change log ([Note: grouping change log]). */
  private readonly states = new Map<number, Omit<ClusterFaceRow, 'embedding'>>();
  private groupSeq = -1;
  /** Kept states joined with their embeddings (rows() items), dropped when either changes. */
  private readonly withEmbedding = new Map<number, ClusterFaceRow>();
  /** Clustering inputs per row object, valid for settingsKey ([Note: lazy groups]). */
  private inputOf = new WeakMap<ClusterFaceRow, ClusterFace>();
  /** Existing groups' summaries by group key (p<person> or c<cluster>) with the member rows they came from. */
  private summaries = new Map<string, { rows: ClusterFaceRow[]; summary: GroupSummary }>();
  private settingsKey = '';
  /** rows() as last built; null when a state or embedding changed since. */
  private ordered: ClusterFaceRow[] | null = null;
  /** [Note: faces left ungrouped] */
  private readonly leftOut = new LeftOutFaces();
  /** Each person's confirmed face ids as the last incremental run saw them (which anchors changed). */
  private anchorsSeen = new Map<number, string>();

  constructor(private readonly deps: ClusterServiceDeps) {}

  /**
   * Brings the kept grouping states up to date with the catalog ([Note: grouping change log]): the
   * faces the logs name are read again (everything on the first call or after a prune). Sequence numbers
   * are taken before the reads they cover, so a change made in between is read twice, never missed.
   * Row objects are replaced, never changed, so a plan made earlier keeps what it read.
   */
  private sync(): void {
    const { clusters, faceChanges, groupChanges } = this.deps;
    if (!faceChanges || !groupChanges) return;
    const dirty = new Set<number>();
    let reload = false;
    if (this.seq < 0 || faceChanges.prunedThrough() > this.seq) {
      this.cache.clear();
      this.seq = faceChanges.lastChange();
      reload = true;
    } else {
      const { seq, faceIds } = faceChanges.changesSince(this.seq);
      for (const id of faceIds) {
        this.cache.delete(id);
        this.leftOut.delete(id);
        dirty.add(id);
      }
      this.seq = seq;
    }
    if (this.groupSeq < 0) this.leftOut.load(clusters);
    if (this.groupSeq < 0 || groupChanges.prunedThrough() > this.groupSeq) {
      this.groupSeq = groupChanges.lastChange();
      reload = true;
    } else {
      const { seq, faceIds } = groupChanges.changesSince(this.groupSeq);
      for (const id of faceIds) dirty.add(id);
      this.groupSeq = seq;
      if (seq - groupChanges.prunedThrough() > PRUNE_AFTER) groupChanges.prune(seq);
    }
    // After a full re-group most faces changed: one scan reads them faster than hundreds of id lists.
    if (dirty.size > this.states.size / 4) reload = true;
    if (reload) {
      this.states.clear();
      this.withEmbedding.clear();
      for (const r of clusters.faceStates()) this.states.set(r.id, r);
      this.ordered = null;
    } else if (dirty.size > 0) {
      const fresh = new Map(clusters.faceStatesOf([...dirty]).map((r) => [r.id, r]));
      for (const id of dirty) {
        const r = fresh.get(id);
        if (r) this.states.set(id, r);
        else this.states.delete(id);
        this.withEmbedding.delete(id);
      }
      this.ordered = null;
    }
  }

  /**
   * Rows with embeddings, in face id order: kept between runs when both change logs are there (only
   * what changed is read again: sync()), else all read from the catalog.
   */
  private rows(): ClusterFaceRow[] {
    const { clusters, faceChanges, groupChanges } = this.deps;
    if (!faceChanges || !groupChanges) return clusters.faces();
    this.sync();
    if (this.ordered) return this.ordered;
    const missing = [...this.states.keys()].filter((id) => !this.cache.has(id));
    for (const [id, v] of clusters.embeddings(missing)) this.cache.set(id, v);
    const out: ClusterFaceRow[] = [];
    let sorted = true;
    for (const r of this.states.values()) {
      let row = this.withEmbedding.get(r.id);
      if (!row) {
        const embedding = this.cache.get(r.id);
        if (!embedding) continue;
        this.withEmbedding.set(r.id, (row = { ...r, embedding }));
      }
      if (out.length > 0 && out[out.length - 1]!.id > r.id) sorted = false;
      out.push(row);
    }
    if (!sorted) out.sort((x, y) => x.id - y.id);
    this.ordered = out;
    return out;
  }

  /**
   * Unnamed groups of at least minSize faces, largest first, from the kept states: the catalog's answer
   * (ClusterRepo.groups) without scanning the faces table on every read.
   */
  groups(minSize: number): { id: number; size: number; faceIds: number[] }[] {
    if (!this.deps.faceChanges || !this.deps.groupChanges) return this.deps.clusters.groups(minSize);
    this.sync();
    const byGroup = new Map<number, number[]>();
    for (const r of this.states.values()) {
      if (r.clusterId === null || r.kind === 'auto' || r.kind === 'confirmed') continue;
      let ids = byGroup.get(r.clusterId);
      if (!ids) byGroup.set(r.clusterId, (ids = []));
      ids.push(r.id);
    }
    return [...byGroup]
      .filter(([, ids]) => ids.length >= minSize)
      .map(([id, faceIds]) => ({ id, size: faceIds.length, faceIds: faceIds.sort((a, b) => a - b) }))
      .sort((a, b) => b.size - a.size || a.id - b.id);
  }

  private load(): Loaded {
    const s = this.deps.settings();
    const rejections = this.deps.clusters.rejections();
    const splits = this.deps.clusters.splits();
    const rows = this.rows().filter((r) => r.kind === 'confirmed' || isFree(r));
    this.forSettings(s);
    // Inputs are kept per row object (rows are replaced when they change) while the face's constraints
    // stay the same: building 250 000 of them on every edit was a large part of a run.
    const inputs = rows.map((r): ClusterFace => {
      const rejected = rejections.get(r.id) ?? [];
      const split = splits.get(r.id) ?? [];
      const kept = this.inputOf.get(r);
      if (kept && sameList(kept.rejected, rejected) && sameSplits(kept.splits, split)) return kept;
      const input: ClusterFace = {
        faceId: r.id,
        photoId: r.photoId,
        embedding: r.embedding,
        person: r.kind === 'confirmed' ? r.personId : null,
        rejected,
        splits: split,
        seed: isSeedQuality(r.quality, s),
      };
      this.inputOf.set(r, input);
      return input;
    });
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

  /**
   * Faces an incremental run would try to place (no group, no assignment, not left out) and all live
   * faces, from the kept states: enough to tell a bulk of new faces from an edit's few without reading
   * any embedding. Zeros when the service keeps no states (no change logs).
   */
  pending(): { fresh: number; total: number } {
    this.sync();
    let fresh = 0;
    for (const r of this.states.values())
      if (r.kind === null && r.clusterId === null && !this.leftOut.has(r.id)) fresh++;
    return { fresh, total: this.states.size };
  }

  /** Drops what was derived under other settings (the seed-quality gate shapes inputs and summaries). */
  private forSettings(s: PeopleSettings): void {
    const key = JSON.stringify(s);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    this.inputOf = new WeakMap();
    this.summaries.clear();
  }

  /**
   * Each existing group's summary (mean direction, shaping faces, person), kept between runs and
   * computed again only for a group whose member rows changed: the candidate search needs every group's
   * mean, and summing every face of the library on every edit was most of an edit's grouping time.
   */
  private summariesOf(
    rows: readonly ClusterFaceRow[],
    inputs: readonly ClusterFace[],
    existing: readonly (readonly number[])[],
    existingCluster: readonly (number | null)[],
  ): GroupSummary[] {
    const dim = inputs[0]?.embedding.length ?? 0;
    const seen = new Map<string, { rows: ClusterFaceRow[]; summary: GroupSummary }>();
    const out = existing.map((members, e) => {
      const cluster = existingCluster[e];
      const key = cluster === null ? `p${rows[members[0]!]!.personId}` : `c${cluster}`;
      const memberRows = members.map((i) => rows[i]!);
      const kept = this.summaries.get(key);
      const summary =
        kept && kept.rows.length === memberRows.length && kept.rows.every((r, j) => r === memberRows[j])
          ? kept.summary
          : summariseGroup(inputs, members, dim);
      seen.set(key, { rows: memberRows, summary });
      return summary;
    });
    this.summaries = seen;
    return out;
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
    const result = clusterIncremental(
      inputs,
      existing,
      fresh,
      {
        threshold: s.groupingThreshold,
        relative: s.groupingRelative,
        anchorsChanged: changedAnchors,
      },
      this.summariesOf(rows, inputs, existing, existingCluster),
    );
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
      this.leftOut.store(clusters);
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

const sameList = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const sameSplits = (
  a: readonly (readonly [number, number])[],
  b: readonly (readonly [number, number])[],
): boolean => a.length === b.length && a.every((x, i) => x[0] === b[i]![0] && x[1] === b[i]![1]);

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
    // A full run's plan crosses from the worker thread: without embeddings it is a fraction of the size.
    // An incremental run's stays on this thread, and copying 250 000 rows cost more than its real work.
    rows: mode === 'full' ? rows.map(({ embedding: _, ...r }) => r) : rows,
    groupOf,
    groups: out,
  };
}
