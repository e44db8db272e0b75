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
import {
  clusterIncremental,
  summariseGroup,
  type ExistingGroups,
  type GroupSummary,
} from './cluster-incremental';
import { GroupMeanIndex } from './group-mean-index';
import {
  clusterFace,
  plan,
  planSummaries,
  summarise,
  type ClusterRunSummary,
  type GroupingPlan,
  type PlanRow,
  type WriteTally,
} from './grouping-plan';
import { GroupMembers } from './group-members';
import { LeftOutFaces } from './left-out-faces';
import { EXACT_BASE_LIMIT } from './neighbour-search';
import type { PeopleSettings } from './settings';

export const CLUSTER_SOURCE = 'cluster';

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
   * The face change log: with it, a face whose embedding changed is read again (its group's summary
   * with it) instead of every face on every run ([Note: face change log]).
   */
  faceChanges?: Pick<SearchRepo, 'changesSince' | 'prunedThrough' | 'lastChange'>;
  /**
   * The grouping change log: with it (and faceChanges), every face's grouping state is kept between
   * runs and only the faces it names are read again ([Note: grouping change log]).
   */
  groupChanges?: Pick<GroupingChangesRepo, 'changesSince' | 'prunedThrough' | 'lastChange' | 'prune'>;
}

/** Groups summarised per catalog read when summaries are computed in slices (about 450 faces). */
const SUMMARY_BATCH = 200;
/** Group means placed in the index per warm-up slice. */
const INDEX_SLICE = 2_000;

/** Log entries the service applies before it prunes the grouping change log. */
const PRUNE_AFTER = 100_000;

interface Loaded {
  rows: ClusterFaceRow[];
  inputs: ClusterFace[];
}

/** Faces clustering may place: no assignment, or one clustering itself made. */
const isFree = (r: Pick<ClusterFaceRow, 'kind' | 'source'>): boolean =>
  r.kind === null || (r.kind !== 'confirmed' && r.source === CLUSTER_SOURCE);

export class ClusterService {
  private seq = -1;
  /** Grouping state of every live face, kept with the grouping change log ([Note: grouping change log]). */
  private readonly states = new Map<number, Omit<ClusterFaceRow, 'embedding'>>();
  private groupSeq = -1;
  /** Grouping's groups (p<person>: anchors, c<cluster>: unnamed) and their faces: [Note: incremental group index]. */
  private readonly members = new GroupMembers<string>();
  /** The groups view's groups (unnamed groups by id, as ClusterRepo.groups counts them). */
  private readonly view = new GroupMembers<number>();
  /** Faces grouping may place that are in no group (new, freed, or left out). */
  private readonly groupless = new Set<number>();
  /** Faces in a grouping group, and confirmed faces among them (run summaries). */
  private keyed = 0;
  private confirmed = 0;
  /** Each group's summary by key, dropped when its rows change (settingsKey: the seed gate shapes them). */
  private readonly summaries = new Map<string, GroupSummary>();
  /** Groups without a summary (changed since, or new). */
  private readonly unsummarised = new Set<string>();
  private viewCache: { version: number; minSize: number; groups: GroupView[] } | null = null;
  private readonly viewGroups = new Map<number, GroupView>();
  /** The summaries' means, searched by incremental runs over many groups: [Note: a kept index of group means]. */
  private readonly meanIndex = new GroupMeanIndex<string>();
  private settingsKey = '';
  /** [Note: faces left ungrouped] */
  private readonly leftOut = new LeftOutFaces();
  /**
   * Each person's confirmed face ids as the last run saw them (which anchors changed); `anchorsKnown`
   * false until the first run adopts the catalog's (see anchorsToSearch).
   */
  private anchorsSeen = new Map<number, string>();
  private anchorsKnown = false;
  /** Anchor groups whose rows changed since the last incremental run. */
  private readonly anchorsDirty = new Set<string>();

  /** The grouping log's position when the service was made: edits after it are not adopted (reload). */
  private readonly openedAt: number;

  constructor(private readonly deps: ClusterServiceDeps) {
    this.openedAt = deps.groupChanges?.lastChange() ?? -1;
  }

  /**
   * Brings the kept grouping states up to date with the catalog ([Note: grouping change log]): the
   * faces the logs name are read again (everything on the first call or after a prune). Sequence numbers
   * are taken before the reads they cover, so a change made in between is read twice, never missed.
   * Row objects are replaced, never changed, so a plan made earlier keeps what it read.
   */
  private sync(): void {
    const { clusters, faceChanges, groupChanges } = this.deps;
    if (!faceChanges || !groupChanges) {
      // Without the logs nothing is known to be current: every call reads every face again.
      this.reload();
      return;
    }
    const dirty = new Set<number>();
    let reload = false;
    if (this.seq < 0 || faceChanges.prunedThrough() > this.seq) {
      this.seq = faceChanges.lastChange();
      reload = true;
    } else {
      const { seq, faceIds } = faceChanges.changesSince(this.seq);
      for (const id of faceIds) {
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
    if (reload) this.reload();
    else if (dirty.size > 0) {
      const fresh = new Map(clusters.faceStatesOf([...dirty]).map((r) => [r.id, r]));
      for (const id of dirty) this.place(id, fresh.get(id));
    }
  }

  /** Reads every face's state again. */
  private reload(): void {
    for (const id of [...this.states.keys()]) this.place(id, undefined);
    for (const r of this.deps.clusters.faceStates()) this.place(r.id, r);
    // The first read adopts the catalog's anchors (see anchorsToSearch), but not those of people
    // edited since the service was made (their anchors still search).
    if (!this.anchorsKnown) {
      this.anchorsSeen = this.anchorsNow(this.states.values());
      const since = this.deps.groupChanges?.changesSince(this.openedAt).faceIds ?? [];
      for (const id of since) {
        const person = this.states.get(id)?.personId;
        if (person !== null && person !== undefined) this.anchorsSeen.delete(person);
      }
    }
    this.anchorsKnown = true;
  }

  /** Keeps a face's state and its place in the group index (undefined: the face is gone). */
  private place(id: number, r: FaceStateRow | undefined): void {
    const was = this.states.get(id);
    if (was) {
      if (this.members.groupOf(id) !== undefined) this.keyed--;
      if (was.kind === 'confirmed') this.confirmed--;
    }
    if (r) this.states.set(id, r);
    else this.states.delete(id);
    const takes = r !== undefined && (r.kind === 'confirmed' || isFree(r));
    const key = takes ? groupKey(r) : null;
    this.members.set(id, key);
    // A replaced row may change its group's summary (seed quality, person) without moving.
    this.members.touch(id);
    this.view.set(
      id,
      r && r.clusterId !== null && r.kind !== 'auto' && r.kind !== 'confirmed' ? r.clusterId : null,
    );
    if (key !== null) {
      this.keyed++;
      this.leftOut.delete(id);
    }
    if (r?.kind === 'confirmed') this.confirmed++;
    if (takes && key === null) this.groupless.add(id);
    else this.groupless.delete(id);
  }

  /**
   * Unnamed groups of at least minSize faces, largest first, from the kept states: the catalog's answer
   * (ClusterRepo.groups) without scanning the faces table on every read.
   */
  groups(minSize: number): GroupView[] {
    if (!this.deps.faceChanges || !this.deps.groupChanges) return this.deps.clusters.groups(minSize);
    this.sync();
    const kept = this.viewCache;
    if (kept?.version === this.view.version && kept.minSize === minSize) return kept.groups;
    // Each group's entry is kept until its faces change: an edit re-sorts a handful, not 100 000.
    for (const id of this.view.takeChanged())
      if (this.view.has(id))
        this.viewGroups.set(id, { id, size: this.view.memberCount(id), faceIds: this.view.members(id) });
      else this.viewGroups.delete(id);
    const groups = [...this.viewGroups.values()]
      .filter((g) => g.size >= minSize)
      .sort((a, b) => b.size - a.size || a.id - b.id);
    this.viewCache = { version: this.view.version, minSize, groups };
    return groups;
  }

  /** Every face a full run groups, read from the catalog, with its clustering input. */
  private load(): Loaded {
    const s = this.deps.settings();
    const rejections = this.deps.clusters.rejections();
    const splits = this.deps.clusters.splits();
    const rows = this.deps.clusters.faces().filter((r) => r.kind === 'confirmed' || isFree(r));
    const inputs = rows.map((r) => clusterFace(r, r.embedding, s, rejections.get(r.id), splits.get(r.id)));
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
    const planned = plan('full', rows, groups, result.groupOf, started);
    planned.summaries = planSummaries(inputs, planned);
    return planned;
  }

  /**
   * Faces an incremental run would try to place (no group, no assignment, not left out) and all live
   * faces, from the kept states: enough to tell a bulk of new faces from an edit's few without reading
   * any embedding. Zeros when the service keeps no states (no change logs).
   */
  pending(): { fresh: number; total: number } {
    this.sync();
    let fresh = 0;
    for (const id of this.groupless) if (!this.leftOut.has(id) && this.states.get(id)?.kind === null) fresh++;
    return { fresh, total: this.states.size };
  }

  /** Drops what was derived under other settings (the seed-quality gate shapes inputs and summaries). */
  private forSettings(s: PeopleSettings): void {
    const key = JSON.stringify(s);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    this.summaries.clear();
    this.meanIndex.clear();
    for (const key of this.members.all()) this.unsummarised.add(key);
  }

  /** Takes the group index's changes: their summaries are computed again, changed anchors remembered. */
  private takeChanges(): void {
    for (const key of this.members.takeChanged()) {
      this.summaries.delete(key);
      this.meanIndex.set(key, null);
      if (this.members.has(key)) this.unsummarised.add(key);
      else this.unsummarised.delete(key);
      if (key.startsWith('p')) this.anchorsDirty.add(key);
    }
  }

  /**
   * Computes the summaries of groups that have none (changed since, or never summarised), in batches of
   * a few hundred groups; stops after `deadline` (performance.now()). True when none is missing.
   */
  private summariseMissing(deadline = Infinity): boolean {
    const s = this.deps.settings();
    this.forSettings(s);
    this.takeChanges();
    const stale = [...this.unsummarised];
    for (let at = 0; at < stale.length; at += SUMMARY_BATCH) {
      if (performance.now() >= deadline) return false;
      const batch = stale.slice(at, at + SUMMARY_BATCH);
      for (const key of batch) this.unsummarised.delete(key);
      const embeddings = this.deps.clusters.embeddings(batch.flatMap((key) => this.members.members(key)));
      for (const key of batch) {
        // What a summary reads of a face: its embedding, person and seed quality (not its constraints).
        const faces: ClusterFace[] = [];
        for (const id of this.members.members(key)) {
          const embedding = embeddings.get(id);
          if (embedding) faces.push(clusterFace(this.states.get(id)!, embedding, s));
        }
        const summary = summariseGroup(faces, Array.from(faces.keys()), faces[0]?.embedding.length ?? 0);
        this.summaries.set(key, summary);
        this.meanIndex.set(key, summary.n > 0 ? summary.mean : null);
      }
    }
    return true;
  }

  /** Every group that shapes a mean, with it: what the index of means holds (in the groups' order). */
  private indexEntries(): [string, Float32Array][] {
    return this.members.keys().flatMap((key) => {
      const summary = this.summaries.get(key)!;
      return summary.n > 0 ? [[key, summary.mean] as [string, Float32Array]] : [];
    });
  }

  /**
   * [Note: warming the grouping state] After the state is read from scratch (start-up, a full
   * re-group's writes), every group needs its summary and, in a large library, its place in the index
   * of means: seconds of work at 250 000 faces. Regrouping calls this between requests, a slice of about
   * `sliceMs` at a time, so the first edit or new photo finds it done; a run that comes first does the
   * rest itself. True when nothing is left.
   */
  warm(sliceMs: number): boolean {
    const deadline = performance.now() + sliceMs;
    this.sync();
    if (!this.summariseMissing(deadline)) return false;
    if (this.members.size <= EXACT_BASE_LIMIT) return true;
    if (this.meanIndex.needsBuild()) {
      const entries = this.indexEntries();
      this.meanIndex.train(entries.map(([, mean]) => mean));
      for (const [key, mean] of entries) this.meanIndex.set(key, mean);
      return false;
    }
    return this.meanIndex.settle(INDEX_SLICE) === 0;
  }

  /**
   * People whose confirmed faces changed since the last run: only their anchors look for unnamed groups
   * to take. The first read of the catalog adopts its anchors as they are — the run that last wrote the
   * catalog (or a full re-group: fullWritten) gave them their chance — so a restart does not make every
   * named person search the library again. (A crash between an edit and its run leaves that anchor's
   * search to its next change; grouping is derived data.)
   */
  private anchorsToSearch(): Set<number> {
    const out = new Set<number>();
    for (const key of this.anchorsDirty) {
      const person = Number(key.slice(1));
      const confirmed = this.members
        .members(key)
        .filter((id) => this.states.get(id)?.kind === 'confirmed')
        .join(',');
      if (confirmed === '') this.anchorsSeen.delete(person);
      else if (this.anchorsSeen.get(person) !== confirmed) {
        out.add(person);
        this.anchorsSeen.set(person, confirmed);
      }
    }
    this.anchorsDirty.clear();
    return out;
  }

  /** Each person's confirmed faces as the kept states have them, in face id order. */
  private anchorsNow(rows: Iterable<PlanRow>): Map<number, string> {
    const seen = new Map<number, string>();
    for (const r of rows)
      if (r.kind === 'confirmed' && r.personId !== null)
        seen.set(r.personId, seen.has(r.personId) ? `${seen.get(r.personId)},${r.id}` : String(r.id));
    return seen;
  }

  /** After a full re-group's writes: its anchors are the ones it read (it gave them their chance). */
  fullWritten(plan: GroupingPlan): void {
    this.anchorsSeen = this.anchorsNow(plan.rows);
    this.anchorsKnown = true;
    this.adoptSummaries(plan);
  }

  /**
   * [Note: summaries from the full re-group] The worker that computed a full re-group had every
   * embedding in memory and summed each group as it planned it (planSummaries); the groups it wrote
   * take those summaries instead of reading 250 000 embeddings again here. A group takes its summary
   * only if its faces are exactly the plan's (an edit during the writes changed the others: they are
   * summarised again as usual).
   */
  private adoptSummaries(plan: GroupingPlan): void {
    const given = plan.summaries;
    if (!given || !this.deps.faceChanges || !this.deps.groupChanges) return;
    // Summaries are kept per settings: made under the ones in force (the next run drops them if the
    // settings changed while the worker ran).
    this.forSettings(this.deps.settings());
    this.sync();
    this.takeChanges();
    const dim = given.means.length / Math.max(1, plan.groups.length);
    const ids: number[][] = plan.groups.map(() => []);
    plan.groupOf.forEach((g, i) => {
      if (g >= 0) ids[g]!.push(plan.rows[i]!.id);
    });
    const placed: [string, Float32Array, number][] = [];
    plan.groups.forEach((g, gi) => {
      const key = g.person !== null ? `p${g.person}` : g.clusterId !== null ? `c${g.clusterId}` : null;
      if (key === null || !this.unsummarised.has(key)) return;
      const members = this.members.members(key);
      const planned = ids[gi]!;
      if (members.length !== planned.length || members.some((id, j) => id !== planned[j])) return;
      const summary = {
        mean: given.means.subarray(gi * dim, (gi + 1) * dim),
        n: given.shaping[gi]!,
        person: given.person[gi]! < 0 ? null : given.person[gi]!,
      };
      this.summaries.set(key, summary);
      this.unsummarised.delete(key);
      if (given.index && summary.n > 0) placed.push([key, summary.mean, given.index.home[gi]!]);
      else if (!given.index) this.meanIndex.set(key, summary.n > 0 ? summary.mean : null);
    });
    // The worker's lists of means: [Note: the index of means from the full re-group]. Groups it did not
    // place (changed during the writes) are placed when they are summarised again.
    if (given.index) this.meanIndex.adopt(given.index, given.index.trainedFor, placed);
  }

  /**
   * Places faces that are in no group yet (new photos, faces freed by an edit) into the current groups,
   * and lets anchors whose confirmed faces changed take the groups they now attract ([Note: incremental
   * group index]): the run reads the faces of the groups it looks at, not the library's.
   */
  incremental(): ClusterRunSummary {
    const started = Date.now();
    this.sync();
    const { clusters } = this.deps;
    const s = this.deps.settings();
    this.forSettings(s);
    this.takeChanges();
    const anchorsChanged = this.anchorsToSearch();
    const freshIds = [...this.groupless].filter((id) => !this.leftOut.has(id)).sort((a, b) => a - b);
    if (freshIds.length === 0 && anchorsChanged.size === 0) {
      // Nothing to place or search; faces that left the left-out set (named, grouped) are recorded.
      this.deps.db.transaction(() => {
        this.leftOut.store(clusters);
      })();
      return this.runSummary(started, null);
    }
    try {
      this.summariseMissing();
      const rejections = clusters.rejections();
      const splits = clusters.splits();
      const toInput = (r: ClusterFaceRow): ClusterFace =>
        clusterFace(r, r.embedding, s, rejections.get(r.id), splits.get(r.id));
      const embeddings = new Map<number, Float32Array>();
      const read = (ids: readonly number[]): number[] => {
        const missing = ids.filter((id) => !embeddings.has(id));
        if (missing.length > 0) for (const [id, v] of clusters.embeddings(missing)) embeddings.set(id, v);
        return ids.filter((id) => embeddings.has(id));
      };
      const rows: ClusterFaceRow[] = [];
      const inputs: ClusterFace[] = [];
      const at = new Map<number, number>();
      // The run's faces: the faces to place, then each group's faces when the run first looks at it.
      const take = (id: number): number => {
        let i = at.get(id);
        if (i === undefined) {
          const row = { ...this.states.get(id)!, embedding: embeddings.get(id)! };
          i = rows.push(row) - 1;
          inputs.push(toInput(row));
          at.set(id, i);
        }
        return i;
      };
      const fresh = read(freshIds).map(take);
      const keys = this.members.keys();
      const looked = new Set<string>();
      let indexOf: Map<string, number> | null = null;
      const existing: ExistingGroups = {
        count: keys.length,
        summary: (e) => this.summaries.get(keys[e]!)!,
        members: (e) => {
          looked.add(keys[e]!);
          return read(this.members.members(keys[e]!)).map(take);
        },
        lazy: true,
        // Only anchor groups (p<person>) name a person: an unnamed group holds no confirmed face.
        anchorsOf: (persons) =>
          [...persons].map((person) => keys.indexOf(`p${person}`)).filter((e) => e >= 0),
        near: (vectors, floor, k) => {
          if (this.meanIndex.needsBuild()) this.meanIndex.build(this.indexEntries());
          indexOf ??= new Map(keys.map((key, e) => [key, e]));
          const index = indexOf;
          return this.meanIndex.search(vectors, floor, k).map((found) => {
            const out: number[] = [];
            for (const key of found) {
              const e = index.get(key);
              if (e !== undefined) out.push(e);
            }
            return out;
          });
        },
      };
      const result = clusterIncremental(inputs, existing, fresh, {
        threshold: s.groupingThreshold,
        relative: s.groupingRelative,
        anchorsChanged,
      });
      for (const i of fresh) if (result.groupOf[i]! < 0) this.leftOut.add(rows[i]!.id);
      const groups = result.groups.map((g) => ({
        members: g.members,
        person: g.person,
        clusterId: g.person === null && g.from >= 0 ? clusterOfKey(keys[g.from]!) : null,
      }));
      // An unnamed group the run never looked at keeps its id: no group of this run may take it.
      const taken = (id: number): boolean => this.members.has(`c${id}`) && !looked.has(`c${id}`);
      const planned = plan('incremental', rows, groups, result.groupOf, started, taken);
      const summary = this.write(planned, { chunkMs: Infinity });
      this.sync();
      return this.runSummary(started, summary);
    } catch (err) {
      // The anchors it was to search search again next time.
      for (const person of anchorsChanged) this.anchorsSeen.delete(person);
      throw err;
    }
  }

  /** A run's summary with the library's counts (the plan holds only the faces the run read). */
  private runSummary(started: number, written: ClusterRunSummary | null): ClusterRunSummary {
    let unnamed = 0;
    for (const key of this.members.all()) if (key.startsWith('c')) unnamed++;
    return {
      mode: 'incremental',
      suggested: written?.suggested ?? 0,
      skipped: written?.skipped ?? 0,
      faces: this.keyed + this.groupless.size,
      placed: this.keyed - this.confirmed,
      groups: unnamed,
      ms: Date.now() - started,
    };
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
    if (plan.mode === 'full') this.fullWritten(plan);
    return summarise(plan, tally);
  }
}

type FaceStateRow = PlanRow;

/** An unnamed group as the groups view lists it. */
export interface GroupView {
  id: number;
  size: number;
  faceIds: number[];
}

/** The group a face is in for grouping: its person's (p<id>, anchors) or its unnamed group (c<id>). */
function groupKey(r: FaceStateRow): string | null {
  const person = r.kind !== null ? r.personId : null;
  if (person !== null) return `p${person}`;
  return r.clusterId !== null ? `c${r.clusterId}` : null;
}

const clusterOfKey = (key: string): number | null => (key.startsWith('c') ? Number(key.slice(1)) : null);
