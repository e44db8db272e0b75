/**
 * Grouping over the catalog: reads faces, runs full or incremental clustering, writes the outcome.
 * [Note: user work is sacred] Clustering only ever writes unnamed-group ids and machine suggestions with
 * source 'cluster'. It reads confirmed faces as anchors and rejections/splits as constraints, and never
 * writes any of them; faces the recogniser (the trained head) has assigned are left to it.
 * A face that ends up in a confirmed person's group is suggested to that person ("Is this NAME?"), with
 * its average similarity to the person's confirmed faces as confidence.
 */
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterFaceRow, ClusterRepo } from '../catalog/cluster-repo';
import type { Db } from '../catalog/database';
import type { SearchRepo } from '../search/search-repo';
import { clusterBatch, type ClusterFace } from './cluster-batch';
import { clusterIncremental } from './cluster-incremental';
import { isSeedQuality, type PeopleSettings } from './settings';
import { addInto, dot } from './vectors';

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
  /** Faces per write transaction (default WRITE_CHUNK). */
  chunk?: number;
}

export class GroupingCancelled extends Error {
  constructor() {
    super('Grouping was cancelled.');
    this.name = 'GroupingCancelled';
  }
}

/** Faces written per transaction: [Note: grouping writes in chunks]. */
const WRITE_CHUNK = 2_000;

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
      for (const id of faceIds) this.cache.delete(id);
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
    return this.write('full', rows, inputs, groups, result.groupOf, started, hooks);
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
      } else {
        fresh.push(i);
      }
    });
    const s = this.deps.settings();
    const result = clusterIncremental(inputs, existing, fresh, {
      threshold: s.groupingThreshold,
      relative: s.groupingRelative,
    });
    const groups = result.groups.map((g) => ({
      members: g.members,
      person: g.person,
      clusterId: g.person === null && g.from >= 0 ? existingCluster[g.from]! : null,
    }));
    return this.write('incremental', rows, inputs, groups, result.groupOf, started, {
      chunk: Number.MAX_SAFE_INTEGER,
    });
  }

  /**
   * [Note: grouping writes in chunks] The outcome is written in short transactions of WRITE_CHUNK faces,
   * so a full re-group running in a worker (cluster-job.ts) never holds the catalog's write lock for long:
   * edits made meanwhile wait milliseconds, not the whole write. Each face is re-read inside its chunk and
   * skipped when an edit changed it since the run read it (a confirmation, a rejection, a split), so a
   * run never overwrites newer user work; the incremental run after it places the skipped faces.
   */
  private write(
    mode: ClusterRunSummary['mode'],
    rows: ClusterFaceRow[],
    inputs: ClusterFace[],
    groups: { members: number[]; person: number | null; clusterId: number | null }[],
    groupOf: Int32Array,
    started: number,
    hooks: RunHooks,
  ): ClusterRunSummary {
    const { db, clusters, assignments } = this.deps;
    const dim = inputs[0]?.embedding.length ?? 0;
    // Per face: a suggestion to a person (with confidence), an unnamed group (by index), or nothing.
    const personOf = new Int32Array(rows.length).fill(-1);
    const confidence = new Float32Array(rows.length);
    groups.forEach((g, gi) => {
      if (g.person === null) return;
      const sum = new Float32Array(dim);
      let n = 0;
      for (const m of g.members)
        if (inputs[m]!.person !== null) {
          addInto(sum, inputs[m]!.embedding);
          n++;
        }
      for (const m of g.members) {
        personOf[m] = gi;
        confidence[m] = n > 0 ? dot(sum, rows[m]!.embedding) / n : 0;
      }
    });
    const current = (r: ClusterFaceRow): boolean => {
      const now = clusters.current(r.id);
      return (
        now !== null &&
        now.clusterId === r.clusterId &&
        now.personId === r.personId &&
        now.kind === r.kind &&
        now.source === r.source
      );
    };
    let suggested = 0;
    let placed = 0;
    let skipped = 0;
    const applyFace = (i: number): void => {
      const r = rows[i]!;
      if (!current(r)) {
        skipped++;
        return;
      }
      const gi = groupOf[i]!;
      if (r.kind === 'confirmed') {
        if (r.clusterId !== null) clusters.setCluster(r.id, null);
        return;
      }
      if (gi < 0) {
        if (r.kind !== null) assignments.clearMachine(r.id);
        if (r.clusterId !== null) clusters.setCluster(r.id, null);
        return;
      }
      placed++;
      const g = groups[gi]!;
      if (g.person !== null) {
        const already = r.kind !== null && r.personId === g.person;
        if (assignments.setMachine(r.id, g.person, 'suggested', CLUSTER_SOURCE, confidence[i]!) && !already)
          suggested++;
        if (r.clusterId !== null) clusters.setCluster(r.id, null);
        return;
      }
      g.clusterId ??= clusters.nextClusterId();
      if (r.kind !== null) assignments.clearMachine(r.id);
      if (r.clusterId !== g.clusterId) clusters.setCluster(r.id, g.clusterId);
    };
    const chunk = hooks.chunk ?? WRITE_CHUNK;
    for (let from = 0; from < rows.length; from += chunk) {
      if (hooks.cancelled?.()) throw new GroupingCancelled();
      db.transaction(() => {
        for (let i = from; i < Math.min(rows.length, from + chunk); i++) applyFace(i);
      })();
      hooks.progress?.('writing groups', Math.min(rows.length, from + chunk), rows.length);
    }
    return {
      mode,
      faces: rows.length,
      placed,
      groups: groups.filter((g) => g.person === null).length,
      suggested,
      ms: Date.now() - started,
      skipped,
    };
  }
}
