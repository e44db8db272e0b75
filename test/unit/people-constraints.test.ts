import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupConstraints, type FaceConstraints } from '../../main/engine/people/constraints';

const face = (faceId: number, photoId: number, extra: Partial<FaceConstraints> = {}): FaceConstraints => ({
  faceId,
  photoId,
  person: null,
  rejected: [],
  splits: [],
  ...extra,
});

test('two faces of one photo never share a group; faces of different photos may', () => {
  const a = GroupConstraints.of(face(1, 10));
  assert.equal(a.conflictsWithFace(face(2, 10)), true);
  assert.equal(a.conflictsWithFace(face(3, 11)), false);
  a.add(face(3, 11));
  assert.equal(a.conflicts(GroupConstraints.of(face(4, 11))), true, 'the merged group still holds photo 11');
});

test('a group holds at most one confirmed person', () => {
  const alice = GroupConstraints.of(face(1, 1, { person: 7 }));
  assert.equal(alice.conflicts(GroupConstraints.of(face(2, 2, { person: 8 }))), true);
  assert.equal(alice.conflicts(GroupConstraints.of(face(3, 3, { person: 7 }))), false);
  assert.equal(alice.conflicts(GroupConstraints.of(face(4, 4))), false);
});

test('a face rejected from a person never joins that person, even through an unnamed group', () => {
  const alice = GroupConstraints.of(face(1, 1, { person: 7 }));
  const unnamed = GroupConstraints.of(face(2, 2));
  unnamed.add(face(3, 3, { rejected: [7] }));
  assert.equal(alice.conflicts(unnamed), true);
  assert.equal(unnamed.conflicts(alice), true, 'symmetric');
  assert.equal(alice.conflicts(GroupConstraints.of(face(4, 4, { rejected: [8] }))), false);
});

test("the two sides of a user's split never meet again; faces of one side may", () => {
  const left = GroupConstraints.of(face(1, 1, { splits: [[5, 0]] }));
  assert.equal(left.conflicts(GroupConstraints.of(face(2, 2, { splits: [[5, 1]] }))), true);
  assert.equal(left.conflicts(GroupConstraints.of(face(3, 3, { splits: [[5, 0]] }))), false);
  assert.equal(left.conflicts(GroupConstraints.of(face(4, 4, { splits: [[6, 1]] }))), false);
});
