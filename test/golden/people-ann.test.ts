/**
 * Grouping from approximate neighbours (IVF lists, [Note: grouping neighbours from IVF lists]) against
 * the exact pair search, on real shared sets embedded by the real pipeline: BCubed F within 0.005 of the
 * exact run, and the same groups every time for the same input. The lists are made much smaller than
 * in the app (16 faces, so each face searches only a few percent of the set) so that the approximation
 * is really exercised at this size; so are the kept index's lists of group means ([Note: a kept index of
 * group means]) for incremental runs. lfw_dev is covered by the people bench (its photos take long to embed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ANN_OPTIONS } from '../../main/engine/people/ann-neighbours';
import { clusterBatch } from '../../main/engine/people/cluster-batch';
import { clusterIncremental, existingFromLists } from '../../main/engine/people/cluster-incremental';
import { GroupMeanIndex, GROUP_INDEX_OPTIONS } from '../../main/engine/people/group-mean-index';
import { defaults } from '../../main/engine/people/settings';
import { loadBenchSet, type BenchSet } from '../bench/people-data';
import { inputs } from '../bench/people-experiments';
import { scoreClustering } from '../bench/people-metrics';

const s = defaults();
const base = { threshold: s.groupingThreshold, relative: s.groupingRelative };
const exact = { ...base, search: { exactPairLimit: Infinity } };
const ann = { ...base, search: { exactPairLimit: 0, ann: { ...DEFAULT_ANN_OPTIONS, listSize: 16 } } };

for (const set of ['glint_celebs24', 'bollywood_33'] as BenchSet[]) {
  test(`${set}: grouping from IVF neighbours matches the exact search`, async () => {
    const faces = await loadBenchSet(set);
    const truth = faces.map((f) => f.label);
    const e = scoreClustering(clusterBatch(inputs(faces), exact).groupOf, truth).bcubed.f;
    const first = clusterBatch(inputs(faces), ann);
    const a = scoreClustering(first.groupOf, truth).bcubed.f;
    assert.ok(Math.abs(a - e) <= 0.005, `BCubed F ${a.toFixed(4)} from IVF vs ${e.toFixed(4)} exact`);
    const again = clusterBatch(inputs(faces), ann);
    assert.deepEqual(again.groupOf, first.groupOf, 'the same input gave different groups');
  });

  test(`${set}: incremental grouping from IVF candidates matches the exact candidates`, async () => {
    const faces = await loadBenchSet(set);
    const truth = faces.map((f) => f.label);
    const all = inputs(faces);
    const older = all.map((_, i) => i).filter((i) => i % 4 !== 0);
    const newer = all.map((_, i) => i).filter((i) => i % 4 === 0);
    const run = (o: typeof exact) => {
      const start = clusterBatch(
        all.map((f, i) => (i % 4 === 0 ? { ...f, seed: false } : f)),
        o,
      );
      const existing = start.groups.map((g) => g.members.filter((m) => m % 4 !== 0));
      return clusterIncremental(
        all,
        existing.filter((m) => m.length > 0),
        newer,
        o,
      ).groupOf;
    };
    assert.ok(older.length > newer.length);
    const e = scoreClustering(run(exact), truth).bcubed.f;
    const a = scoreClustering(run(ann), truth).bcubed.f;
    assert.ok(Math.abs(a - e) <= 0.005, `BCubed F ${a.toFixed(4)} from IVF vs ${e.toFixed(4)} exact`);
  });

  test(`${set}: incremental grouping from a kept index of group means matches the exact candidates`, async () => {
    const faces = await loadBenchSet(set);
    const truth = faces.map((f) => f.label);
    const all = inputs(faces);
    const newer = all.map((_, i) => i).filter((i) => i % 4 === 0);
    const start = clusterBatch(
      all.map((f, i) => (i % 4 === 0 ? { ...f, seed: false } : f)),
      exact,
    );
    const existing = start.groups
      .map((g) => g.members.filter((m) => m % 4 !== 0))
      .filter((m) => m.length > 0);
    const e = scoreClustering(clusterIncremental(all, existing, newer, exact).groupOf, truth).bcubed.f;
    let searches = 0;
    const viaIndex = () => {
      const groups = existingFromLists(all, existing);
      // Lists of 16 means, 2 probed (1 for a merged group's search): a few percent of the groups each time.
      const index = new GroupMeanIndex<number>({
        ...GROUP_INDEX_OPTIONS,
        listSize: 16,
        probes: 2,
        fewProbes: 1,
      });
      const entries = existing.map((_, e) => [e, groups.summary(e).mean] as const);
      index.build(entries.filter(([e]) => groups.summary(e).n > 0));
      const near = (vectors: readonly Float32Array[], floor: number, k: number) => {
        searches++;
        return index.search(vectors, floor, k);
      };
      return clusterIncremental(all, { ...groups, near }, newer, { ...base, search: { exactPairLimit: 0 } });
    };
    const first = viaIndex();
    assert.ok(searches > 0, 'the run never searched the kept index');
    const a = scoreClustering(first.groupOf, truth).bcubed.f;
    assert.ok(
      Math.abs(a - e) <= 0.005,
      `BCubed F ${a.toFixed(4)} from the kept index vs ${e.toFixed(4)} exact`,
    );
    assert.deepEqual(viaIndex().groupOf, first.groupOf, 'the same input gave different groups');
  });
}
