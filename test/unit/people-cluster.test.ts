/** Grouping on real faces (glint_celebs24 through the real embedder): rules hold in batch and incremental runs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterBatch, type ClusterFace } from '../../main/engine/people/cluster-batch';
import { clusterIncremental, summariseGroup } from '../../main/engine/people/cluster-incremental';
import { Group } from '../../main/engine/people/group';
import { dot } from '../../main/engine/embedding-dot';
import { defaults } from '../../main/engine/people/settings';
import { realFaces, type RealFace } from '../integration/people-fixture';

const s = defaults();
const opts = { threshold: s.groupingThreshold, relative: s.groupingRelative };

const input = (
  faces: readonly RealFace[],
  extra: (i: number) => Partial<ClusterFace> = () => ({}),
): ClusterFace[] =>
  faces.map((f, i) => ({
    embedding: f.embedding,
    seed: true,
    photoId: i,
    faceId: i,
    person: null,
    rejected: [],
    splits: [],
    ...extra(i),
  }));

const labelsOf = (faces: readonly RealFace[], members: number[]) =>
  new Set(members.map((m) => faces[m]!.label));

test('groups of real faces are pure, and most faces are grouped with someone', async () => {
  const faces = await realFaces(4, 6);
  const r = clusterBatch(input(faces), opts);
  for (const g of r.groups) assert.equal(labelsOf(faces, g.members).size, 1, 'a group mixes people');
  const inPairs = r.groups.filter((g) => g.members.length >= 2).reduce((n, g) => n + g.members.length, 0);
  assert.ok(inPairs >= faces.length / 2, `only ${inPairs} of ${faces.length} faces grouped with another`);
});

test('two faces of one photo never end up in the same group', async () => {
  const faces = await realFaces(4, 6);
  // Put every pair of same-person faces 2k, 2k+1 into one photo.
  const r = clusterBatch(
    input(faces, (i) => ({ photoId: Math.floor(i / 2) })),
    opts,
  );
  for (let i = 0; i + 1 < faces.length; i += 2)
    if (r.groupOf[i]! >= 0)
      assert.notEqual(r.groupOf[i], r.groupOf[i + 1], `faces ${i} and ${i + 1} share a photo`);
});

test('confirmed faces anchor their person; a rejected face never joins that person', async () => {
  const faces = await realFaces(4, 6);
  const label0 = faces[0]!.label;
  const own = faces.map((f, i) => (f.label === label0 ? i : -1)).filter((i) => i >= 0);
  const [a1, a2, rejectedFace, ...rest] = own;
  const r = clusterBatch(
    input(faces, (i) => ({
      person: i === a1 || i === a2 ? 7 : null,
      rejected: i === rejectedFace ? [7] : [],
    })),
    opts,
  );
  const g = r.groupOf[a1!]!;
  assert.equal(r.groupOf[a2!], g, 'the two confirmed faces are one group');
  assert.equal(r.groups[g]!.person, 7);
  assert.notEqual(r.groupOf[rejectedFace!], g, 'the rejected face joined the person');
  assert.ok(
    rest.some((i) => r.groupOf[i] === g),
    'no other face of the person joined the anchor',
  );
  // Two people's anchors never merge, however similar.
  const r2 = clusterBatch(
    input(faces, (i) => ({ person: i === a1 ? 7 : i === a2 ? 8 : null })),
    opts,
  );
  assert.notEqual(r2.groupOf[a1!], r2.groupOf[a2!]);
});

test('faces failing the quality gate never start a group but can join one', async () => {
  const faces = await realFaces(4, 6);
  const label0 = faces[0]!.label;
  // Only person 0's faces are gated out: none of them can seed, so they stay ungrouped…
  const gated = clusterBatch(
    input(faces, (i) => ({ seed: faces[i]!.label !== label0 })),
    opts,
  );
  faces.forEach((f, i) => {
    if (f.label === label0)
      assert.equal(gated.groupOf[i], -1, 'a gated face started or joined a foreign group');
  });
  // …while with one of them allowed to seed, the gated others can join its group.
  const one = clusterBatch(
    input(faces, (i) => ({ seed: faces[i]!.label !== label0 || i === 0 })),
    opts,
  );
  const joined = faces.filter((f, i) => f.label === label0 && i !== 0 && one.groupOf[i] === one.groupOf[0]);
  assert.ok(joined.length >= 1, 'no gated face joined the group of a clear face');
});

test('incremental grouping places new faces into the existing groups without a full run', async () => {
  const faces = await realFaces(4, 6);
  const all = input(faces);
  const firstHalf = faces.map((_, i) => i).filter((i) => i % 2 === 0);
  const secondHalf = faces.map((_, i) => i).filter((i) => i % 2 === 1);
  const start = clusterIncremental(all, [], firstHalf, opts);
  const before = start.groups.map((g) => g.members);
  const next = clusterIncremental(all, before, secondHalf, opts);
  for (const g of next.groups)
    assert.equal(labelsOf(faces, g.members).size, 1, 'an incremental group mixes people');
  // Existing groups keep their members (they only grow or merge).
  for (const members of before) {
    const g = next.groupOf[members[0]!]!;
    for (const m of members) assert.equal(next.groupOf[m], g, 'an existing group was torn apart');
  }
  const joinedOld = secondHalf.filter(
    (i) => next.groups[next.groupOf[i]!]?.from !== -1 && next.groupOf[i]! >= 0,
  );
  assert.ok(
    joinedOld.length >= secondHalf.length / 3,
    `only ${joinedOld.length} new faces joined existing groups`,
  );
});

test('a group summary gives the mean a built group gives, to the last bit (lazy groups choose as eager ones)', async () => {
  const faces = await realFaces(4, 6);
  // Mixed: confirmed and seed faces shape the mean, a non-seed face without a person does not.
  const all = input(faces, (i) => ({ seed: i % 3 !== 0, person: i % 5 === 0 ? 7 : null }));
  const members = all.map((_, i) => i).filter((i) => i % 2 === 0);
  const summary = summariseGroup(all, members, 512);
  const g = new Group(512);
  for (const i of members) g.add(i, all[i]!, all[i]!.embedding, all[i]!.person !== null || all[i]!.seed);
  const mean = Float32Array.from(g.sum);
  const norm = Math.sqrt(dot(mean, mean)) || 1;
  for (let k = 0; k < 512; k++) mean[k]! /= norm;
  assert.equal(summary.n, g.n);
  assert.equal(summary.person, g.person);
  assert.deepEqual(summary.mean, mean);
  // The run with summaries given is the run without them.
  const fresh = [1, 3, 5];
  const groups = clusterBatch(all, opts)
    .groups.map((x) => x.members.filter((m) => !fresh.includes(m)))
    .filter((m) => m.length > 0);
  const given = groups.map((m) => summariseGroup(all, m, 512));
  assert.deepEqual(
    clusterIncremental(all, groups, fresh, opts, given),
    clusterIncremental(all, groups, fresh, opts),
  );
});
