/**
 * Incremental clustering: new faces join the existing groups without re-running everything.
 * 1. The current state comes in as groups: one per confirmed person (anchor) and one per unnamed group,
 *    each a summary until the run looks at it ([Note: lazy groups]).
 * 2. New faces, clearest first, join the allowed group they are most similar to on average if both
 *    merge tests pass ([Note: two merge tests]); otherwise a face that passes the quality gate starts a new group, and one that
 *    does not stays ungrouped until a later run finds it a group.
 * 3. Groups that changed, and every anchor whose confirmed faces changed (new confirmations may attract
 *    unnamed groups), then merge with their most similar allowed group while the merge tests pass.
 * Work follows the change, not the library: candidates come from a search over group means, [Note:
 * incremental candidates].
 * The rules are those of the full run (cluster-batch.ts): average linkage [Note: average linkage by sums],
 * constraints [Note: clustering constraints], quality gating; only the order of merges differs.
 */
import type { ClusterFace, ClusterOptions } from './cluster-batch';
import { Group } from './group';
import { EXACT_BASE_LIMIT, neighboursAbove, searchesExactly } from './neighbour-search';
import { nearestAbove } from './neighbours';
import { dot, normaliseInPlace } from '../embedding-dot';
import { addInto } from './vectors';
import { ChangedMeans } from './changed-means';

export interface IncrementalResult {
  /** Per input face: index into groups, or -1. */
  groupOf: Int32Array;
  /** Surviving groups; `from` is the index of the existing group it continues (-1 for a new group). */
  groups: { members: number[]; person: number | null; from: number }[];
}

export interface IncrementalOptions extends ClusterOptions {
  /**
   * People whose confirmed faces changed since the last run: only their anchors look for unnamed groups
   * to take (an unchanged anchor already had its chance). Absent: every anchor does.
   */
  anchorsChanged?: ReadonlySet<number>;
}

/** What the candidate search needs of an existing group: its mean direction, shaping faces, person. */
export interface GroupSummary {
  mean: Float32Array;
  /** Faces in the mean (those that shape the group: confirmed or seed quality). */
  n: number;
  person: number | null;
}

const shapes = (f: ClusterFace): boolean => f.person !== null || f.seed;

/**
 * An existing group's summary from its members, summed in member order exactly as a Group would (so a
 * Group built later gives the same mean to the last bit: [Note: lazy groups]).
 */
export function summariseGroup(
  faces: readonly ClusterFace[],
  members: readonly number[],
  dim: number,
): GroupSummary {
  const mean = new Float32Array(dim);
  let n = 0;
  let person: number | null = null;
  for (const i of members) {
    const f = faces[i]!;
    if (f.person !== null) person = f.person;
    if (shapes(f)) {
      addInto(mean, f.embedding);
      n++;
    }
  }
  return { mean: normaliseInPlace(mean), n, person };
}

/**
 * The current groups as an incremental run sees them: a summary each, members read only for the groups
 * the run looks at ([Note: lazy groups]). ClusterService answers from its group index ([Note:
 * incremental group index]), appending a group's faces to the run's faces when asked for its members.
 */
export interface ExistingGroups {
  readonly count: number;
  summary(e: number): GroupSummary;
  /** Indices into the run's faces, in face id order (the order the summary summed them in). */
  members(e: number): readonly number[];
  /** The result lists only the groups the run looked at (the others are unchanged). */
  readonly lazy: boolean;
  /** The existing groups (by index) whose summary names one of `persons`; absent: the run looks at every summary. */
  anchorsOf?(persons: ReadonlySet<number>): number[];
  /**
   * Candidates among the existing groups (by index) for each vector, from an index of their summary
   * means kept by the caller ([Note: a kept index of group means]); used when the exact search would
   * not be. Scored exactly here; groups the run changed are searched exactly beside it.
   */
  near?(vectors: readonly Float32Array[], floor: number, k: number): number[][];
}

/** Existing groups given as member lists (every face already in `faces`); summaries computed if not given. */
export function existingFromLists(
  faces: readonly ClusterFace[],
  lists: readonly (readonly number[])[],
  summaries?: readonly GroupSummary[],
): ExistingGroups {
  const dim = faces[0]?.embedding.length ?? 0;
  const summary = summaries ?? lists.map((members) => summariseGroup(faces, members, dim));
  return { count: lists.length, summary: (e) => summary[e]!, members: (e) => lists[e]!, lazy: false };
}

/**
 * `existing`: the current groups (anchors included), as member lists or an ExistingGroups; `fresh`:
 * faces to place; `summaries`: with member lists, the groups' summaries when the caller keeps them
 * between runs, else computed here. With a lazy ExistingGroups, `faces` grows as groups are read.
 */
export function clusterIncremental(
  faces: readonly ClusterFace[],
  existingGroups: readonly (readonly number[])[] | ExistingGroups,
  fresh: readonly number[],
  options: IncrementalOptions,
  summaries?: readonly GroupSummary[],
): IncrementalResult {
  const accept = { threshold: options.threshold, relative: options.relative };
  const existing = Array.isArray(existingGroups)
    ? existingFromLists(faces, existingGroups as readonly (readonly number[])[], summaries)
    : (existingGroups as ExistingGroups);
  const dim = faces[0]?.embedding.length ?? (existing.count > 0 ? existing.summary(0).mean.length : 0);

  // [Note: lazy groups] An edit touches a handful of groups, yet a library has tens of thousands: building
  // a Group (sum, constraints) for every one on every run cost more than the run's real work (0.3–0.6 s
  // at 50 000 faces). Existing groups come in as summaries (mean direction, shaping faces, person: all
  // the candidate search needs; ClusterService keeps them between runs and recomputes only groups whose
  // members changed) and become Group objects only when a face or a merge looks at them. A group built
  // later sums its members in the same order as its summary did, so both give bit-identical means and
  // the run makes exactly the choices it made when every group was built up front.
  const groups: (Group | null)[] = [];
  const from: number[] = [];
  // Per face of the run (faces read later included): its group, or -1.
  const groupOf: number[] = Array.from({ length: faces.length }, () => -1);
  for (let e = 0; e < existing.count; e++) {
    groups.push(null);
    from.push(e);
  }
  /** The group at gi, built from its members the first time it is needed. */
  const group = (gi: number): Group => {
    let g = groups[gi];
    if (!g) {
      g = new Group(dim);
      for (const i of existing.members(from[gi]!)) {
        const f = faces[i]!;
        g.add(i, f, f.embedding, shapes(f));
        groupOf[i] = gi;
      }
      groups[gi] = g;
    }
    return g;
  };
  // A run scores each existing group's summary against hundreds of faces: asked of `existing` once
  // (ClusterService looks it up by key) and kept here by index.
  const summaryAt: (GroupSummary | undefined)[] = [];
  const summaryOf = (e: number): GroupSummary => (summaryAt[e] ??= existing.summary(e));
  const live = (gi: number): boolean => {
    const g = groups[gi];
    return g ? g.alive && g.n > 0 : summaryOf(from[gi]!).n > 0;
  };
  const personOf = (gi: number): number | null => {
    const g = groups[gi];
    return g ? g.person : summaryOf(from[gi]!).person;
  };

  // [Note: incremental candidates] A group can take a face (or another group) only if the cosine between
  // their means reaches `relative` (merge test 2), so candidates come from a search over the groups'
  // mean directions — exact while small, IVF lists beyond (neighbour-search.ts) — instead of a scan of
  // every group for every face. Groups this run creates are always candidates of the faces placed after
  // them (few); the merge step searches again, over the means as they are after placing.
  const k = options.maxNeighbours ?? 64;
  // Means are kept per group version: a merge asks for every group's mean again, and at 250 000 faces
  // recomputing them all per merge cost more than the search itself.
  const means = new Map<Group, { version: number; mean: Float32Array }>();
  const meanOf = (gi: number): Float32Array => {
    const g = groups[gi];
    if (!g) return summaryOf(from[gi]!).mean;
    const hit = means.get(g);
    if (hit?.version === g.version) return hit.mean;
    const m = normaliseInPlace(Float32Array.from(g.sum));
    means.set(g, { version: g.version, mean: m });
    return m;
  };
  const searchable = (): number[] => groups.map((_, gi) => (live(gi) ? gi : -1)).filter((gi) => gi >= 0);
  // Groups whose mean differs from their summary (a face joined, a merge, new): a kept index of the
  // summaries does not know them, so they are scored exactly beside its candidates.
  const modified = new Set<number>();
  const near = existing.near?.bind(existing);
  // The kept index serves every search once the groups are many (the exact scan's base limit), however
  // few the queries: one exact scan of 100 000 means costs more than an index search of a thousand.
  const limit = options.search?.exactPairLimit;
  const useIndex =
    near !== undefined && (limit === 0 || (limit !== Infinity && existing.count > EXACT_BASE_LIMIT));
  /** Up to k groups with mean similarity ≥ relative per vector, best first (ties by index). */
  // The current means of the groups this run changed, for one native scan per search: [Note: a run's
  // changed groups, searched natively].
  const changedMeans = new ChangedMeans(dim);
  const fromIndex = (vectors: readonly Float32Array[]): number[][] => {
    const hits = near!(vectors, options.relative, k);
    for (const gi of modified) {
      const g = groups[gi]!;
      if (!live(gi)) changedMeans.remove(gi);
      else if (!changedMeans.holds(gi, g.version)) changedMeans.set(gi, g.version, meanOf(gi));
    }
    const changed = changedMeans.nearest(vectors, k, vectors.length > 1 ? 2 : 1);
    return vectors.map((v, q) => {
      // The index names each group once, and modified groups only among `changed`: no repeats.
      const scored: [number, number][] = [];
      const score = (gi: number): void => {
        const sim = dot(v, meanOf(gi));
        if (sim >= options.relative) scored.push([gi, sim]);
      };
      for (const gi of hits[q]!) if (!modified.has(gi) && live(gi)) score(gi);
      for (const gi of changed[q]!) score(gi);
      return scored
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k)
        .map(([gi]) => gi);
    });
  };
  const candidatesFor = (vectors: Float32Array[], among: () => number[]): number[][] => {
    if (vectors.length === 0) return [];
    if (useIndex) return fromIndex(vectors);
    const base = among();
    return neighboursAbove(
      vectors,
      base.map((gi) => meanOf(gi)),
      options.relative,
      k,
      false,
      options.search,
    ).map((list) => list.map((c) => base[c]!));
  };

  const touched = new Set<number>();
  // Groups this run started: not in the search made before the faces were placed, so always candidates.
  const created = new Set<number>();
  const order = [...fresh].sort((a, b) => Number(faces[b]!.seed) - Number(faces[a]!.seed));
  const nearFresh = candidatesFor(
    order.map((i) => faces[i]!.embedding),
    searchable,
  );
  order.forEach((i, o) => {
    const f = faces[i]!;
    let best = -1;
    let bestLink = -Infinity;
    for (const gi of new Set([...nearFresh[o]!, ...created])) {
      if (!live(gi)) continue;
      const g = group(gi);
      const link = g.linkTo(f.embedding);
      if (link > bestLink && g.acceptsFace(f.embedding, accept) && !g.constraints.conflictsWithFace(f))
        [best, bestLink] = [gi, link];
    }
    if (best < 0 && !f.seed) return;
    if (best < 0) {
      best = groups.push(new Group(dim)) - 1;
      from.push(-1);
      created.add(best);
    }
    group(best).add(i, f, f.embedding, shapes(f));
    groupOf[i] = best;
    touched.add(best);
    modified.add(best);
  });

  const changedAnchors = options.anchorsChanged;
  const isChangedAnchor = (gi: number): boolean => {
    const person = personOf(gi);
    return person !== null && (changedAnchors?.has(person) ?? true);
  };
  if (changedAnchors && existing.anchorsOf) {
    // An edit's run: the few changed anchors by lookup, not a pass over 100 000 groups (about 0.15 s
    // per edit at 250 000 faces). Groups this run changed are touched already; the others are as their
    // summaries say.
    for (const gi of existing.anchorsOf(changedAnchors)) if (isChangedAnchor(gi)) touched.add(gi);
  } else
    groups.forEach((_, gi) => {
      if (isChangedAnchor(gi)) touched.add(gi);
    });
  const queue = [...touched].filter((gi) => group(gi).n > 0);
  const lists = candidatesFor(
    queue.map((gi) => meanOf(gi)),
    searchable,
  );
  // [Note: merge candidates by index] A merged group whose candidates were not searched yet gets one
  // exact search over every group's mean. Rebuilding the list of live groups and their means for each
  // such search cost O(groups) per merge (seconds per run at 250 000 faces), so the means are kept in one
  // array indexed by group, a dead or empty group as the zero vector — never above a positive floor, so
  // the search finds exactly what a search over the live groups finds. Only when that search would be
  // exact anyway (one query) and the floor is positive; else the list is rebuilt as before.
  const ZERO = new Float32Array(dim);
  const byIndex =
    !useIndex && options.relative > 0 && searchesExactly(1, groups.length, options.search)
      ? groups.map((_, gi) => (live(gi) ? meanOf(gi) : ZERO))
      : null;
  const mergeCandidates = new Map<number, Set<number>>();
  // The search runs on the current means of every group, new ones included, so its lists are the candidates.
  queue.forEach((gi, q) => mergeCandidates.set(gi, new Set(lists[q])));
  while (queue.length > 0) {
    const a = queue.pop()!;
    const ga = group(a);
    if (!ga.alive || ga.n === 0) continue;
    let best = -1;
    let bestLink = -Infinity;
    for (const b of mergeCandidates.get(a) ?? []) {
      if (b === a || !live(b) || (ga.person !== null && personOf(b) !== null)) continue;
      const gb = group(b);
      const link = ga.link(gb);
      if (link > bestLink && ga.accepts(gb, accept) && !ga.constraints.conflicts(gb.constraints))
        [best, bestLink] = [b, link];
    }
    if (best < 0) continue;
    const gb = group(best);
    // The anchor survives; between unnamed groups the older (existing, then larger) one keeps its id.
    const keepA =
      ga.person !== null ||
      (gb.person === null && (from[best]! < 0 || (from[a]! >= 0 && ga.members.length >= gb.members.length)));
    const [keep, gone] = keepA ? [a, best] : [best, a];
    group(keep).absorb(group(gone));
    modified.add(keep);
    for (const m of group(gone).members) groupOf[m] = keep;
    // The merged group's candidates: both sides' (the union keeps it local; see the note above).
    const merged = new Set([...(mergeCandidates.get(keep) ?? []), ...(mergeCandidates.get(gone) ?? [])]);
    if (byIndex) {
      byIndex[gone] = ZERO;
      byIndex[keep] = meanOf(keep);
    }
    if (!mergeCandidates.has(keep) || !mergeCandidates.has(gone)) {
      const extra = byIndex
        ? nearestAbove([meanOf(keep)], byIndex, options.relative, k, false)[0]!
        : candidatesFor([meanOf(keep)], searchable)[0]!;
      for (const c of extra) merged.add(c);
    }
    mergeCandidates.set(keep, merged);
    queue.push(keep);
  }

  const remap = new Int32Array(groups.length).fill(-1);
  const out: IncrementalResult['groups'] = [];
  groups.forEach((g, gi) => {
    if (g && (!g.alive || g.members.length === 0)) return;
    // A group the run never looked at is as it was: a lazy caller keeps it without being told.
    if (!g && existing.lazy) return;
    const members = [...(g ? g.members : existing.members(from[gi]!))].sort((x, y) => x - y);
    if (members.length === 0) return;
    remap[gi] = out.length;
    out.push({ members, person: personOf(gi), from: from[gi]! });
  });
  const result = new Int32Array(faces.length).fill(-1);
  groupOf.forEach((g, i) => {
    if (g >= 0) result[i] = remap[g]!;
  });
  if (!existing.lazy)
    for (let e = 0; e < existing.count; e++)
      if (!groups[e]) for (const i of existing.members(e)) result[i] = remap[e]!;
  return { groupOf: result, groups: out };
}
