/**
 * Grouping over the catalog: reads faces, runs full or incremental clustering, writes the outcome.
 * [Note: user work is sacred] Clustering only ever writes unnamed-group ids and machine suggestions with
 * source 'cluster'. It reads confirmed faces as anchors and rejections/splits as constraints, and never
 * writes any of them; faces the recogniser (the trained head) has assigned are left to it.
 * Faces that end up in a confirmed person's group form an unnamed group of their own: naming is
 * recognition's job alone, with one calibrated rule (see [Note: calibrated recognition]).
 */
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterFaceRow, ClusterRepo } from '../catalog/cluster-repo';
import type { Db } from '../catalog/database';
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
}

export interface ClusterServiceDeps {
  db: Db;
  clusters: ClusterRepo;
  assignments: AssignmentsRepo;
  settings: () => PeopleSettings;
}

interface Loaded {
  rows: ClusterFaceRow[];
  inputs: ClusterFace[];
}

/** Faces clustering may place: no assignment, or one clustering itself made. */
const isFree = (r: ClusterFaceRow): boolean =>
  r.kind === null || (r.kind !== 'confirmed' && r.source === CLUSTER_SOURCE);

export class ClusterService {
  constructor(private readonly deps: ClusterServiceDeps) {}

  private load(): Loaded {
    const s = this.deps.settings();
    const rejections = this.deps.clusters.rejections();
    const splits = this.deps.clusters.splits();
    const rows = this.deps.clusters.faces().filter((r) => r.kind === 'confirmed' || isFree(r));
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
  full(): ClusterRunSummary {
    const started = Date.now();
    const { rows, inputs } = this.load();
    const s = this.deps.settings();
    const result = clusterBatch(inputs, { threshold: s.groupingThreshold, relative: s.groupingRelative });
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
    return this.write('full', rows, groups, result.groupOf, started);
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
    return this.write('incremental', rows, groups, result.groupOf, started);
  }

  private write(
    mode: ClusterRunSummary['mode'],
    rows: ClusterFaceRow[],
    groups: { members: number[]; person: number | null; clusterId: number | null }[],
    groupOf: Int32Array,
    started: number,
  ): ClusterRunSummary {
    const { db, clusters, assignments } = this.deps;
    const suggested = 0;
    let placed = 0;
    // Unnamed group ids already kept by a group of this run (a person's look-alikes never take one).
    const claimed = new Set(
      groups.flatMap((g) => (g.person === null && g.clusterId !== null ? [g.clusterId] : [])),
    );
    db.transaction(() => {
      for (const g of groups) {
        if (g.person !== null) {
          // [Note: calibrated recognition] Grouping never names a face: the faces it found alike to a
          // named person's confirmed faces become one unnamed group (keeping the id most of them had),
          // which recognition then offers as a whole ("these 5 faces look like Ann") when, and only
          // when, the calibrated rule is sure enough.
          const free = g.members.filter((m) => isFree(rows[m]!));
          if (free.length === 0) continue;
          const counts = new Map<number, number>();
          for (const m of free) {
            const old = rows[m]!.clusterId;
            if (old !== null && !claimed.has(old)) counts.set(old, (counts.get(old) ?? 0) + 1);
          }
          const reuse = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
          const id = reuse ?? clusters.nextClusterId();
          claimed.add(id);
          for (const m of free) {
            const r = rows[m]!;
            if (r.kind !== null) assignments.clearMachine(r.id);
            if (r.clusterId !== id) clusters.setCluster(r.id, id);
            placed++;
          }
          continue;
        }
        g.clusterId ??= clusters.nextClusterId();
        for (const m of g.members) {
          const r = rows[m]!;
          if (r.kind !== null) assignments.clearMachine(r.id);
          if (r.clusterId !== g.clusterId) clusters.setCluster(r.id, g.clusterId);
          placed++;
        }
      }
      rows.forEach((r, i) => {
        if (groupOf[i]! >= 0) return;
        if (r.kind !== null && r.kind !== 'confirmed') assignments.clearMachine(r.id);
        if (r.clusterId !== null) clusters.setCluster(r.id, null);
      });
      // Confirmed faces belong to their person, not to an unnamed group.
      rows.forEach((r) => {
        if (r.kind === 'confirmed' && r.clusterId !== null) clusters.setCluster(r.id, null);
      });
    })();
    return {
      mode,
      faces: rows.length,
      placed,
      groups: groups.filter((g) => g.person === null).length,
      suggested,
      ms: Date.now() - started,
    };
  }
}
