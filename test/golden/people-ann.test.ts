/**
 * Grouping from approximate neighbours (IVF lists, [Note: grouping neighbours from IVF lists]) against
 * the exact pair search, on real shared sets embedded by the real pipeline: BCubed F within 0.005 of the
 * exact run, and the same groups every time for the same input. The lists are made much smaller than
 * in the app (16 faces, so each face searches only a few percent of the set) so that the approximation
 * is really exercised at this size. lfw_dev is covered by the people bench (its photos take long to embed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ANN_OPTIONS } from '../../main/engine/people/ann-neighbours';
import { clusterBatch } from '../../main/engine/people/cluster-batch';
import { clusterIncremental } from '../../main/engine/people/cluster-incremental';
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
}
