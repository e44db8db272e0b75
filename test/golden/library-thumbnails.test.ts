/**
 * Grid thumbnails of real portrait photos keep the faces ([Note: thumbnail crop]): a photo is indexed
 * through the contract, its square thumbnail is made as the app asks for it, and the detector run on the
 * thumbnail itself finds every face of the photo, each box whole inside the square. The old centre /
 * "attention" crop showed Biden's suit and no face.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { openEngine } from '../../main/engine/engine';
import { THUMB_SIZE } from '../../main/engine/library/thumbnails';
import { analysePhoto } from '../../main/engine/vision/face-pipeline';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

/** Portrait photos (taller than wide), heads in the upper part, one or two faces. */
const PORTRAITS = [
  'face_recognition/examples/biden.jpg', // 970×2204, a standing man: the face is in the top eighth
  'face_recognition/examples/obama2.jpg', // 626×1200
  'face_recognition/examples/knn_examples/test/kit_with_rose.jpg', // 501×700, two faces
  'dlib_faces/Tom_Cruise_avp_2014_4.jpg', // 565×800
];

/**
 * How far a detected box may pass the edge: detector boxes are loose by a few pixels, and the close-up
 * (Tom Cruise) has a face 306 px tall in the 320 px square, so its box touches the edges.
 */
const SLACK = 8;

test('a portrait photo thumbnail shows its faces whole', async (t) => {
  const dir = tempDir(t);
  const lib = path.join(dir, 'photos');
  mkdirSync(lib);
  for (const [i, file] of PORTRAITS.entries()) copyFileSync(face(file), path.join(lib, `${i}.jpg`));
  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  t.after(() => engine.close());
  await engine.api['library.addFolder']({ path: lib, index: false });
  assert.equal((await engine.api['library.rescan']({ wait: true })).state, 'done');
  const photos = (await engine.api['library.photos']({})).items;
  assert.equal(photos.length, PORTRAITS.length);
  for (const photo of photos) {
    const name = PORTRAITS[Number(path.basename(photo.path, '.jpg'))]!;
    const faces = await engine.api['library.photoFaces']({ photoId: photo.id });
    assert.ok(faces.length >= 1, `${name}: no face found in the photo`);
    const thumb = await engine.handlers['images.file']({ kind: 'thumb', id: photo.id });
    const meta = await sharp(thumb.path).metadata();
    assert.deepEqual([meta.width, meta.height], [THUMB_SIZE, THUMB_SIZE], `${name}: not a square thumbnail`);
    const seen = await analysePhoto(thumb.path);
    assert.equal(
      seen.faces.length,
      faces.length,
      `${name}: ${seen.faces.length} of ${faces.length} faces in the thumbnail`,
    );
    for (const f of seen.faces) {
      const { x, y, w, h } = f.box;
      const [lo, hi] = [-SLACK, THUMB_SIZE + SLACK];
      assert.ok(
        x >= lo && y >= lo && x + w <= hi && y + h <= hi,
        `${name}: a face is cut by the thumbnail's edge (${[x, y, w, h].map(Math.round).join(', ')})`,
      );
    }
  }
});
