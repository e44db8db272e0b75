/**
 * Where a face's context crop is cut and where its box is drawn on it ([Note: context window]): the window
 * stays inside the photo, so a face at the edge shows no grey pad, and the box the renderer draws lands on
 * the face in the crop the engine made.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { CONTEXT_SCALE, contextBox, contextWindow } from '../../main/api/face-context';
import { ThumbnailService, type ThumbnailDeps } from '../../main/engine/library/thumbnails';
import { tempDir } from '../support/temp';

const photo = { width: 1000, height: 800 };

test('a face in the middle: the window is centred on it, the box in the middle of the crop', () => {
  const box = { x: 450, y: 350, w: 100, h: 100 };
  assert.deepEqual(contextWindow(box, photo), { left: 350, top: 250, side: 300 });
  const at = contextBox(box, photo);
  assert.ok(Math.abs(at.x - 1 / 3) < 1e-9 && Math.abs(at.y - 1 / 3) < 1e-9);
  assert.ok(Math.abs(at.w - 1 / CONTEXT_SCALE) < 1e-9);
});

test('a face at an edge or corner: the window shifts inside the photo instead of padding past it', () => {
  // At the left edge: the window starts at the photo's left, the face sits at the crop's left.
  const left = { x: 0, y: 350, w: 100, h: 100 };
  assert.deepEqual(contextWindow(left, photo), { left: 0, top: 250, side: 300 });
  assert.equal(contextBox(left, photo).x, 0);
  // In the bottom-right corner, partly outside the photo (a detector box may be).
  const corner = { x: 940, y: 750, w: 100, h: 100 };
  assert.deepEqual(contextWindow(corner, photo), { left: 700, top: 500, side: 300 });
  const at = contextBox(corner, photo);
  assert.ok(Math.abs(at.x - 0.8) < 1e-9 && Math.abs(at.y - 250 / 300) < 1e-9);
});

test("a face large for its photo: the window is the photo's shorter side, never more", () => {
  const big = { x: 100, y: 50, w: 300, h: 320 };
  const w = contextWindow(big, { width: 500, height: 400 });
  assert.deepEqual(w, { left: 50, top: 0, side: 400 });
});

test('every window lies inside its photo and holds the centre of a face inside the photo', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 2000; i++) {
    const width = 50 + Math.floor(rand() * 3000);
    const height = 50 + Math.floor(rand() * 3000);
    const s = 5 + rand() * Math.min(width, height) * 0.8;
    const box = { x: rand() * (width - s), y: rand() * (height - s), w: s, h: s * (0.8 + rand() * 0.4) };
    const { left, top, side } = contextWindow(box, { width, height });
    assert.ok(left >= 0 && top >= 0 && left + side <= width && top + side <= height, `inside ${i}`);
    assert.ok(Number.isInteger(left) && Number.isInteger(top) && Number.isInteger(side));
    const cx = box.x + box.w / 2;
    const cy = box.y + box.h / 2;
    assert.ok(cx >= left - 0.5 && cx <= left + side + 0.5 && cy >= top - 0.5 && cy <= top + side + 0.5);
  }
});

test("the engine cuts that window: a face at the photo's edge shows no grey pad", async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'edge.png');
  // A red photo with the face's box at its left edge: any grey in the crop is padding.
  await sharp({ create: { width: 600, height: 400, channels: 3, background: '#d02020' } })
    .png()
    .toFile(file);
  const box = { x: 0, y: 150, w: 100, h: 100 };
  const deps = {
    photos: { get: () => ({ id: 1, path: file, orientation: 1, width: 600, height: 400 }) },
    faces: { get: () => ({ id: 1, photoId: 1, box }), forPhoto: () => [] },
    folders: { list: () => [{ id: 1, path: dir }] },
    cacheDir: path.join(dir, 'cache'),
  } as unknown as ThumbnailDeps;
  const crop = await new ThumbnailService(deps).file('context', 1);
  const { data, info } = await sharp(crop.path).raw().toBuffer({ resolveWithObject: true });
  let grey = 0;
  for (let p = 0; p < data.length; p += info.channels) {
    if (Math.abs(data[p]! - 128) < 24 && Math.abs(data[p + 1]! - 128) < 24) grey++;
  }
  assert.equal(grey, 0, `${grey} grey pixels of ${info.width * info.height}`);
});

test('a face filling its photo: the box drawn is cut to the crop, never past its edges', () => {
  // A close-up (a face crop as a photo): the detector's box is taller than the photo's shorter side.
  const closeUp = { x: 10, y: -20, w: 150, h: 200 };
  const at = contextBox(closeUp, { width: 170, height: 170 });
  for (const v of [at.x, at.y, at.x + at.w, at.y + at.h]) assert.ok(v >= 0 && v <= 1, JSON.stringify(at));
  assert.equal(at.y, 0);
  assert.equal(at.y + at.h, 1);
  // Inside the crop, the box is as it was.
  const corner = contextBox({ x: 940, y: 750, w: 100, h: 100 }, photo);
  assert.ok(Math.abs(corner.x - 0.8) < 1e-9 && Math.abs(corner.x + corner.w - 1) < 1e-9);
});
