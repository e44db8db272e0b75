/**
 * Training data from the library: confirmed faces become classes; rejections and faces sharing a photo
 * with a confirmed face become negatives for that person; two unlabelled faces of one photo form a
 * cannot-link pair; labels of merged-away people are ignored; everything else is the unlabelled pool.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LibrarySnapshot } from '../../main/engine/head/recognise/library-snapshot';
import { assembleTrainingData } from '../../main/engine/head/train/training-data';
import { row } from '../../main/engine/head/vector-math';

const e = (v: number) => Float32Array.from({ length: 4 }, (_, i) => v + i / 10);

describe('assembleTrainingData', () => {
  const snap: LibrarySnapshot = {
    faces: [
      { id: 1, photoId: 10, embedding: e(1) }, // Ann (confirmed), shares photo 10 with face 2
      { id: 2, photoId: 10, embedding: e(2) }, // unlabelled, next to Ann → not Ann
      { id: 3, photoId: 11, embedding: e(3) }, // Bob (confirmed)
      { id: 4, photoId: 12, embedding: e(4) }, // Ann (confirmed)
      { id: 5, photoId: 13, embedding: e(5) }, // unlabelled, rejected from Bob
      { id: 6, photoId: 14, embedding: e(6) }, // unlabelled, same photo as 7: a cannot-link pair
      { id: 7, photoId: 14, embedding: e(7) },
      { id: 8, photoId: 15, embedding: e(8) }, // confirmed as a merged-away person: ignored
    ],
    confirmed: [
      { faceId: 1, personId: 100 },
      { faceId: 3, personId: 200 },
      { faceId: 4, personId: 100 },
      { faceId: 8, personId: 300 },
    ],
    rejections: [
      { faceId: 5, personId: 200 },
      { faceId: 3, personId: 200 }, // contradicts the confirmation: the confirmation wins
    ],
    livePeople: new Set([100, 200]),
  };
  const { data, counts, faceIds } = assembleTrainingData(snap);

  it('classes are the confirmed people; rows are their faces', () => {
    assert.deepEqual(data.classes, [100, 200]);
    assert.deepEqual(faceIds, [1, 3, 4]);
    assert.deepEqual([...data.y], [0, 1, 0]);
    assert.deepEqual([...row(data.x, 1)], [...e(3)]);
  });

  it('rejections and same-photo faces are negatives for that person', () => {
    const pairs = [...data.negatives.cls].map((c, i) => [data.classes[c], row(data.negatives.x, i)[0]]);
    assert.deepEqual(
      pairs.map(([p, v]) => [p, Math.round(v! * 10) / 10]),
      [
        [200, 5],
        [100, 2],
      ],
    );
    assert.equal(counts.rejections, 1);
    assert.equal(counts.samePhotoNegatives, 1);
  });

  it('two unlabelled faces of one photo are a cannot-link pair', () => {
    assert.equal(counts.cannotLinkPairs, 1);
    assert.deepEqual(
      [row(data.cannotLink.a, 0)[0], row(data.cannotLink.b, 0)[0]].map((v) => Math.round(v! * 10) / 10),
      [6, 7],
    );
  });

  it('everything not confirmed (for a live person) is unlabelled; the mean covers the whole library', () => {
    assert.equal(counts.unlabelled, 5);
    assert.equal(data.unlabelled.rows, 5);
    assert.equal(counts.people, 2);
    assert.ok(Math.abs(data.mean![0]! - 4.5) < 1e-6);
  });
});
