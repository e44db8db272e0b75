/**
 * The people bench's measurements beyond the method comparison: incremental vs full grouping, quality
 * gating on degraded faces, the smallest group worth showing, and how confident suggestions must be to
 * be listed first. Each returns Markdown lines.
 */
import { clusterBatch, type ClusterFace } from '../../main/engine/people/cluster-batch';
import { clusterIncremental } from '../../main/engine/people/cluster-incremental';
import { defaults } from '../../main/engine/people/settings';
import { dot } from '../../main/engine/embedding-dot';
import { addInto } from '../../main/engine/people/vectors';
import type { BenchFace } from './people-data';
import { scoreClustering } from './people-metrics';

const f3 = (v: number): string => v.toFixed(3);

export function inputs(
  faces: readonly BenchFace[],
  seed: (f: BenchFace) => boolean = () => true,
): ClusterFace[] {
  return faces.map((f, i) => ({
    embedding: f.embedding,
    seed: seed(f),
    photoId: i,
    faceId: i,
    person: null,
    rejected: [],
    splits: [],
  }));
}

/** A fixed pseudo-random order (xorshift), so runs are comparable. */
function shuffled(n: number, seed = 7): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let x = seed;
  for (let i = n - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Faces arrive in 5 batches in a shuffled order; each batch is placed incrementally. */
export function incrementalVsFull(name: string, faces: readonly BenchFace[]): string {
  const s = defaults();
  const opts = { threshold: s.groupingThreshold, relative: s.groupingRelative };
  const truth = faces.map((f) => f.label);
  const all = inputs(faces);
  let t = performance.now();
  const full = scoreClustering(clusterBatch(all, opts).groupOf, truth);
  const fullMs = performance.now() - t;
  const order = shuffled(faces.length);
  let groups: number[][] = [];
  let groupOf: Int32Array = new Int32Array(faces.length).fill(-1);
  const batchMs: number[] = [];
  for (let b = 0; b < 5; b++) {
    const fresh = order.slice(Math.floor((b * faces.length) / 5), Math.floor(((b + 1) * faces.length) / 5));
    t = performance.now();
    const r = clusterIncremental(all, groups, fresh, opts);
    batchMs.push(performance.now() - t);
    groups = r.groups.map((g) => g.members);
    groupOf = r.groupOf;
  }
  const inc = scoreClustering(groupOf, truth);
  return (
    `| ${name} | ${f3(full.bcubed.f)} | ${Math.round(fullMs)} | ${f3(inc.bcubed.f)} | ` +
    `${batchMs.map((m) => Math.round(m)).join(' / ')} |`
  );
}

/**
 * One gate at a time: BCubed F (over all faces, and over the clean ones) for each value. Returns the
 * table lines and the value with the best F over all faces (ties: the least restrictive value).
 */
export function gateSweep(
  faces: readonly BenchFace[],
  label: string,
  values: readonly number[],
  seed: (f: BenchFace, v: number) => boolean,
): { lines: string[]; best: number } {
  const s = defaults();
  const opts = { threshold: s.groupingThreshold, relative: s.groupingRelative };
  const truth = faces.map((f) => f.label);
  const clean = faces.map((f, i) => (f.via !== 'tiny' && f.via !== 'blurred' ? i : -1)).filter((i) => i >= 0);
  const lines: string[] = [];
  let best = values[0]!;
  let bestF = -1;
  for (const v of values) {
    const r = clusterBatch(
      inputs(faces, (f) => seed(f, v)),
      opts,
    );
    const all = scoreClustering(r.groupOf, truth);
    const cl = scoreClustering(
      clean.map((i) => r.groupOf[i]!),
      clean.map((i) => truth[i]!),
    );
    if (all.bcubed.f > bestF + 1e-9) [best, bestF] = [v, all.bcubed.f];
    const seeds = faces.filter((f) => seed(f, v)).length;
    lines.push(
      `| ${label} ${v} | ${seeds} | ${f3(all.bcubed.p)} | ${f3(all.bcubed.r)} | ${f3(all.bcubed.f)} | ${f3(cl.bcubed.f)} | ${all.ungrouped} |`,
    );
  }
  return { lines, best };
}

/** For each minimum size: how many groups would show, how pure they are, how many faces they hold. */
export function minGroupSize(name: string, faces: readonly BenchFace[], groupOf: Int32Array): string[] {
  const members = new Map<number, number[]>();
  groupOf.forEach((g, i) => {
    if (g >= 0) members.set(g, [...(members.get(g) ?? []), i]);
  });
  const lines: string[] = [];
  for (const m of [1, 2, 3, 4, 5]) {
    const shown = [...members.values()].filter((g) => g.length >= m);
    const pure = shown.filter((g) => new Set(g.map((i) => faces[i]!.label)).size === 1).length;
    const covered = shown.reduce((n, g) => n + g.length, 0);
    lines.push(
      `| ${name} | ${m} | ${shown.length} | ${f3(shown.length ? pure / shown.length : 1)} | ${f3(covered / faces.length)} |`,
    );
  }
  return lines;
}

/**
 * Half of each person's faces confirmed (anchors), the rest grouped: every face that lands in a person's
 * group is a suggestion with confidence = its average similarity to the confirmed faces. Precision of
 * the suggestions at or above each confidence.
 */
export function suggestionPrecision(
  faces: readonly BenchFace[],
  cuts: readonly number[],
): { precision: number[]; count: number[] } {
  const s = defaults();
  const byLabel = new Map<string, number[]>();
  faces.forEach((f, i) => byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), i]));
  const personOf = new Map<string, number>([...byLabel.keys()].map((l, i) => [l, i + 1]));
  const confirmed = new Set<number>();
  for (const idx of byLabel.values())
    idx.slice(0, Math.ceil(idx.length / 2)).forEach((i) => confirmed.add(i));
  const input = inputs(faces).map((f, i) => ({
    ...f,
    person: confirmed.has(i) ? personOf.get(faces[i]!.label)! : null,
  }));
  const r = clusterBatch(input, { threshold: s.groupingThreshold, relative: s.groupingRelative });
  const suggestions: { conf: number; ok: boolean }[] = [];
  for (const g of r.groups) {
    if (g.person === null) continue;
    const sum = new Float32Array(faces[0]!.embedding.length);
    let n = 0;
    for (const m of g.members)
      if (confirmed.has(m)) {
        addInto(sum, faces[m]!.embedding);
        n++;
      }
    for (const m of g.members) {
      if (confirmed.has(m)) continue;
      suggestions.push({
        conf: dot(sum, faces[m]!.embedding) / n,
        ok: personOf.get(faces[m]!.label) === g.person,
      });
    }
  }
  const precision = cuts.map((c) => {
    const above = suggestions.filter((x) => x.conf >= c);
    return above.length ? above.filter((x) => x.ok).length / above.length : 1;
  });
  return { precision, count: cuts.map((c) => suggestions.filter((x) => x.conf >= c).length) };
}
