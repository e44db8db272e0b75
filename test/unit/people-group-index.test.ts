/**
 * The incremental grouping's kept structures: the group membership index ([Note: incremental group
 * index]) and the kept index of group means ([Note: a kept index of group means]).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseInPlace } from '../../main/engine/embedding-dot';
import { GroupMeanIndex, GROUP_INDEX_OPTIONS, layoutOf } from '../../main/engine/people/group-mean-index';
import { ChangedMeans } from '../../main/engine/people/changed-means';
import { GroupMembers } from '../../main/engine/people/group-members';
import { rng } from '../bench/scale-data';

test('group members: faces move between groups; order by smallest face; changes are reported once', () => {
  const g = new GroupMembers<string>();
  g.set(5, 'a');
  g.set(3, 'b');
  g.set(9, 'a');
  assert.deepEqual(g.keys(), ['b', 'a']);
  assert.deepEqual([...g.takeChanged()].sort(), ['a', 'b']);
  assert.deepEqual([...g.takeChanged()], []);
  g.set(3, 'a'); // b empties and disappears; a's smallest face is now 3
  assert.equal(g.has('b'), false);
  assert.deepEqual(g.members('a'), [3, 5, 9]);
  assert.deepEqual(g.keys(), ['a']);
  assert.deepEqual([...g.takeChanged()].sort(), ['a', 'b']);
  g.set(3, null);
  assert.equal(g.groupOf(3), undefined);
  assert.deepEqual(g.members('a'), [5, 9]);
  g.touch(9);
  assert.deepEqual([...g.takeChanged()], ['a']);
  const before = g.version;
  g.set(9, 'a'); // no move, no change
  assert.equal(g.version, before);
  g.clear();
  assert.equal(g.size, 0);
  assert.deepEqual([...g.takeChanged()], ['a']);
});

const unit = (rand: () => number, dim = 512): Float32Array =>
  normaliseInPlace(Float32Array.from({ length: dim }, () => rand() - 0.5));

/** A direction plus noise: `n` vectors near each of `centres` random centres. */
function clustered(seed: number, centres: number, n: number): Float32Array[] {
  const rand = rng(seed);
  const out: Float32Array[] = [];
  for (let c = 0; c < centres; c++) {
    const centre = unit(rand);
    for (let i = 0; i < n; i++) {
      const noise = unit(rand);
      out.push(normaliseInPlace(centre.map((x, k) => x + 0.6 * noise[k]!)));
    }
  }
  return out;
}

test('the kept index of group means finds what a scan finds, and follows changes without a rebuild', () => {
  const means = clustered(7, 40, 25); // 1 000 means
  const index = new GroupMeanIndex<number>({ ...GROUP_INDEX_OPTIONS, listSize: 50, probes: 6, fewProbes: 3 });
  index.build(means.map((m, i) => [i, m] as const));
  const floor = 0.45;
  const above = (q: Float32Array) =>
    means.flatMap((m, i) => (m.reduce((s, x, k) => s + x * q[k]!, 0) >= floor ? [i] : []));
  // Batch search (more queries than a few): recall of the pairs above the floor.
  const queries = means.slice(0, 100);
  const found = index.search(queries, floor, 64);
  let hit = 0;
  let total = 0;
  queries.forEach((q, i) => {
    const truth = above(q);
    total += truth.length;
    hit += truth.filter((j) => found[i]!.includes(j)).length;
  });
  assert.ok(hit / total >= 0.9, `recall ${(hit / total).toFixed(3)} of ${total} pairs`);
  // A group's mean moves to another group's place: found there after set(), gone from its old place.
  const moved = 3;
  index.set(moved, means[900]!);
  const [near900] = index.search([means[900]!], floor, 64);
  assert.ok(near900!.includes(moved), 'a changed mean was not found at its new place');
  index.set(moved, null);
  const [again] = index.search([means[900]!], floor, 64);
  assert.ok(!again!.includes(moved), 'a removed group was still found');
  // Doubling the groups asks for a rebuild (centroids trained on half of them).
  for (let i = 0; i < 1100; i++) index.set(1000 + i, means[i % 1000]!);
  assert.equal(index.needsBuild(), true);
});

test('placing the means a slice at a time (warming) gives the index one build gives', () => {
  const means = clustered(11, 20, 25);
  const options = { ...GROUP_INDEX_OPTIONS, listSize: 50, probes: 4, fewProbes: 2 };
  const built = new GroupMeanIndex<number>(options);
  built.build(means.map((m, i) => [i, m] as const));
  const sliced = new GroupMeanIndex<number>(options);
  sliced.train(means);
  means.forEach((m, i) => {
    sliced.set(i, m);
  });
  let left = means.length;
  let slices = 0;
  while (left > 0) {
    left = sliced.settle(64);
    slices++;
  }
  assert.equal(slices, Math.ceil(means.length / 64));
  const sorted = (lists: number[][]) => lists.map((l) => [...l].sort((a, b) => a - b));
  const queries = means.filter((_, i) => i % 7 === 0);
  assert.deepEqual(sorted(sliced.search(queries, 0.45, 64)), sorted(built.search(queries, 0.45, 64)));
  assert.deepEqual(
    sorted(sliced.search(queries.slice(0, 2), 0.45, 64)),
    sorted(built.search(queries.slice(0, 2), 0.45, 64)),
  );
});

test('an index adopted from a layout computed elsewhere searches exactly as one built here', () => {
  const means = clustered(11, 30, 20); // 600 means
  const options = { ...GROUP_INDEX_OPTIONS, listSize: 40, probes: 5, fewProbes: 3 };
  const built = new GroupMeanIndex<number>(options);
  built.build(means.map((m, i) => [i, m] as const));
  // The full re-group's worker: layoutOf over the means; the serving thread adopts it.
  const layout = layoutOf(means, options);
  const adopted = new GroupMeanIndex<number>(options);
  adopted.adopt(
    layout,
    means.length,
    means.map((m, i) => [i, m, layout.home[i]!] as const),
  );
  assert.equal(adopted.needsBuild(), false, 'an adopted index asked to be built again');
  const queries = means.filter((_, i) => i % 10 === 0);
  const many = built.search(queries, 0.45, 8);
  assert.ok(
    many.some((found) => found.length > 0),
    'nothing found: the comparison would prove nothing',
  );
  assert.deepEqual(adopted.search(queries, 0.45, 8), many);
  assert.deepEqual(adopted.search(queries.slice(0, 3), 0.45, 8), built.search(queries.slice(0, 3), 0.45, 8));
  // It keeps following changes like a built one.
  built.set(5, null);
  adopted.set(5, null);
  assert.deepEqual(adopted.search(queries, 0.45, 8), built.search(queries, 0.45, 8));
});

test('group members keep the order by smallest face through many moves (merged, not sorted again)', () => {
  const rand = rng(21);
  const g = new GroupMembers<number>();
  for (let id = 0; id < 2000; id++) g.set(id, Math.floor(rand() * 300));
  const sorted = () => {
    const min = new Map<number, number>();
    for (let id = 0; id < 2000; id++) {
      const key = g.groupOf(id);
      if (key !== undefined && !min.has(key)) min.set(key, id);
    }
    return [...min].sort((a, b) => a[1] - b[1]).map(([key]) => key);
  };
  assert.deepEqual(g.keys(), sorted());
  for (let round = 0; round < 200; round++) {
    // A few faces move, leave, or start new groups; the order is asked for after each edit.
    for (let n = 0; n < 3; n++) {
      const id = Math.floor(rand() * 2000);
      const r = rand();
      g.set(id, r < 0.2 ? null : r < 0.3 ? 1000 + round : Math.floor(rand() * 300));
    }
    assert.deepEqual(g.keys(), sorted(), `round ${round}`);
  }
});

test("a run's changed groups: the native scan names each query's k best current means, through sets and removals", () => {
  const rand = rng(11);
  const means = new ChangedMeans(512);
  const current = new Map<number, Float32Array>();
  // More rows than the first capacity (64), then removals from the middle and updates in place.
  for (let key = 0; key < 150; key++) {
    const m = unit(rand);
    means.set(key * 3, 1, m);
    current.set(key * 3, m);
  }
  for (let key = 0; key < 150; key += 7) {
    means.remove(key * 3);
    current.delete(key * 3);
  }
  for (let key = 1; key < 150; key += 5) {
    if (!current.has(key * 3)) continue;
    const m = unit(rand);
    means.set(key * 3, 2, m);
    current.set(key * 3, m);
  }
  assert.equal(means.size, current.size);
  assert.ok(means.holds(3, 2) && !means.holds(3, 1) && !means.holds(0, 1));
  const queries = Array.from({ length: 5 }, () => unit(rand));
  const k = 10;
  for (const threads of [1, 2]) {
    const found = means.nearest(queries, k, threads);
    queries.forEach((q, i) => {
      const expected = [...current]
        .map(([key, m]) => [key, m.reduce((s, x, d) => s + x * q[d]!, 0)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([key]) => key);
      assert.deepEqual(found[i], expected, `query ${i} on ${threads} thread(s)`);
    });
  }
  // One query (usearch answers a single query in another shape) and more asked than there are rows.
  assert.equal(means.nearest([queries[0]!], 1000, 1)[0]!.length, current.size);
});
