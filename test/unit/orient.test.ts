import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { orientExplicitly } from '../../main/engine/vision/orient';

// A 4×3 image with a distinct value per pixel, so any wrong flip or turn shows.
const W = 4;
const H = 3;
const pixels = Buffer.from(Array.from({ length: W * H }, (_, i) => i * 20));

async function raw(img: Sharp): Promise<number[]> {
  return [...(await img.extractChannel(0).raw().toBuffer())];
}

test('explicit orientation gives the same pixels as sharp auto-orienting the EXIF tag, for 1–8', async () => {
  const plain = await sharp(pixels, { raw: { width: W, height: H, channels: 1 } })
    .png()
    .toBuffer();
  for (let o = 1; o <= 8; o++) {
    const tagged = await sharp(plain).withMetadata({ orientation: o }).jpeg({ quality: 100 }).toBuffer();
    const lossy = await sharp(plain).jpeg({ quality: 100 }).toBuffer();
    const auto = await raw(sharp(tagged).rotate());
    const mine = await raw(orientExplicitly(sharp(lossy), o));
    assert.equal(mine.length, auto.length, `orientation ${o}: size`);
    assert.ok(
      mine.every((v, i) => Math.abs(v - auto[i]!) <= 2),
      `orientation ${o}: ${JSON.stringify(mine)} vs ${JSON.stringify(auto)}`,
    );
  }
});
