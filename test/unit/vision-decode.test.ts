/**
 * Photo decoding on real and deliberately broken files: every bad input fails fast with a typed
 * reason, and every odd-but-valid format (GIF, RGBA, grey, CMYK, 16-bit, AVIF, WebP, TIFF) decodes to
 * 8-bit RGB in which the pipeline still finds the faces.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import {
  DecodeError,
  decodePhoto,
  decodeRegion,
  PLAN_FLOOR_PIXELS,
  type DecodeFailure,
} from '../../main/engine/vision/decode';
import { failureReason } from '../../main/engine/library/failure-reason';
import { analysePhoto } from '../../main/engine/vision/face-pipeline';
import { face, repoRoot } from '../support/paths';
import { tempDir } from '../support/temp';

const twoPeople = face('face_recognition', 'examples', 'two_people.jpg');

async function rejectsWith(file: string, reason: DecodeFailure, message?: RegExp): Promise<void> {
  await assert.rejects(decodePhoto(file), (err: unknown) => {
    assert.ok(err instanceof DecodeError, `expected a DecodeError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    // The stored text is classified back to the same plain reason for the UI, and the error says its key.
    assert.equal(failureReason(err.message), reason, `classified: ${err.message}`);
    assert.equal(err.say?.key, `err.decode.${reason}`);
    if (message) assert.match(err.message, message);
    return true;
  });
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A small, valid-looking PNG whose header declares width × height (a decompression bomb). */
function bombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc((width * 3 + 1) * 16))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function write(t: TestContext, name: string, data: Buffer | string): string {
  const file = path.join(tempDir(t), name);
  writeFileSync(file, data);
  return file;
}

test('zero-byte, missing, directory', async (t) => {
  await rejectsWith(write(t, 'empty.jpg', ''), 'empty');
  await rejectsWith(path.join(tempDir(t), 'gone.jpg'), 'missing');
  const dir = path.join(tempDir(t), 'folder.jpg');
  mkdirSync(dir);
  await rejectsWith(dir, 'unreadable', /directory/);
});

test('truncated JPEG, random bytes named .jpg, BMP, HEIC without a decoder', async (t) => {
  const jpg = readFileSync(twoPeople);
  await rejectsWith(write(t, 'half.jpg', jpg.subarray(0, jpg.length >> 1)), 'truncated');
  const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
  await rejectsWith(write(t, 'noise.jpg', noise), 'unsupported', /not a recognised image format/);
  await rejectsWith(write(t, 'x.bmp', Buffer.concat([Buffer.from('BM'), noise])), 'unsupported', /BMP/);
  // An HEIC container (ftyp brand heic); this sharp build has no HEVC decoder, which must be said plainly.
  const heic = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic'),
    Buffer.alloc(12),
    noise,
  ]);
  await rejectsWith(write(t, 'photo.heic', heic), 'unsupported', /HEIC/);
});

test('a PNG declaring 30000×30000 fails fast with "image too large"', async (t) => {
  const file = write(t, 'bomb.png', bombPng(30000, 30000));
  const start = performance.now();
  await rejectsWith(file, 'too-large', /^image too large: 30000x30000/);
  const ms = performance.now() - start;
  assert.ok(ms < 1000, `took ${ms} ms`);
});

test('an unreadable file (permissions) is reported, not thrown raw', async (t) => {
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  const file = path.join(dir, 'secret.jpg');
  writeFileSync(file, readFileSync(twoPeople));
  chmodSync(file, 0o000);
  if (process.getuid?.() !== 0) {
    await rejectsWith(file, 'unreadable', /permission denied/);
    return;
  }
  // Root reads any file, so check as an unprivileged user (nobody) in a child process. The child loads
  // every module as root first and drops privileges just before the read: the repository may sit in a
  // folder nobody cannot enter (a clone inside a mode-0700 directory).
  const script = `import { decodePhoto } from ${JSON.stringify(path.join(repoRoot, 'main/engine/vision/decode.ts'))};
    process.setgid(65534);
    process.setuid(65534);
    decodePhoto(${JSON.stringify(file)}).then(() => console.log('{"reason":"none"}'), (e) => console.log(JSON.stringify({ reason: e.reason, message: e.message })));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { reason: string; message: string };
  assert.equal(out.reason, 'unreadable');
  assert.match(out.message, /permission denied/);
});

test('a JPEG with corrupt scan data decodes with a warning, a clean one without', async (t) => {
  const src = readFileSync(twoPeople);
  const mid = src.length >> 1;
  // A restart marker and junk in the middle of the entropy-coded data: libjpeg decodes around it and warns.
  const damaged = Buffer.concat([
    src.subarray(0, mid),
    Buffer.from([0xff, 0xd3, 0x12, 0x34]),
    src.subarray(mid),
  ]);
  const d = await decodePhoto(write(t, 'damaged.jpg', damaged));
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0]!, /Corrupt JPEG data/);
  assert.deepEqual((await decodePhoto(twoPeople)).warnings, []);
});

test('odd but valid formats decode to RGB and keep their faces', async (t) => {
  const dir = tempDir(t);
  const made: [string, Sharp][] = [
    ['cmyk.jpg', sharp(twoPeople).toColourspace('cmyk').jpeg()],
    ['deep.png', sharp(twoPeople).toColourspace('rgb16').png()],
    ['grey.png', sharp(twoPeople).toColourspace('b-w').png()],
    ['photo.avif', sharp(twoPeople).avif()],
    ['photo.webp', sharp(twoPeople).webp()],
    ['photo.tiff', sharp(twoPeople).tiff()],
  ];
  // Animated GIF: the faces are in the first frame only.
  const first = await sharp(twoPeople).resize(800).png().toBuffer();
  const blank = await sharp({ create: { width: 800, height: 470, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  made.push(['anim.gif', sharp([first, blank], { join: { animated: true } }).gif()]);
  for (const [name, img] of made) {
    const file = path.join(dir, name);
    await img.toFile(file);
    const r = await analysePhoto(file);
    assert.equal(r.faces.length, 2, `${name}: ${r.faces.length} faces`);
  }
  const meta = await sharp(path.join(dir, 'deep.png')).metadata();
  assert.equal(meta.depth, 'ushort', 'the 16-bit test file really is 16-bit');
});

test('RGBA and grayscale PNGs from the shared sets', async () => {
  const rgba = face('face_recognition', 'tests', 'test_images', '32bit.png');
  assert.equal((await sharp(rgba).metadata()).channels, 4);
  assert.equal((await analysePhoto(rgba)).faces.length, 1);
  const grey = face('faceapi_bbt', 'amy', 'amy1.png');
  const d = await decodePhoto(grey);
  assert.equal(d.image.data.length, d.image.width * d.image.height * 3, 'grey becomes 3-channel RGB');
});

test('a big photo is decoded once at the working cap, with full-resolution size reported', async (t) => {
  const file = path.join(tempDir(t), 'big.jpg');
  await sharp(twoPeople).resize(4504, 2644).jpeg().toFile(file);
  const d = await decodePhoto(file, { maxPixels: 3_000_000 });
  assert.deepEqual([d.width, d.height], [4504, 2644]);
  assert.ok(d.image.width * d.image.height <= 3_000_000 * 1.001);
  assert.ok(Math.abs(d.scale - d.image.width / 4504) < 1e-12);
});

test('planScale shrinks a big photo to what the detection plan needs, never below the floor', async (t) => {
  const file = path.join(tempDir(t), 'plan.jpg');
  await sharp(twoPeople).resize(4000, 3000, { fit: 'fill' }).jpeg().toFile(file);
  const planned = await decodePhoto(file, { planScale: 0.625 });
  assert.deepEqual([planned.image.width, planned.image.height], [2500, 1875]);
  const floor = await decodePhoto(file, { planScale: 0.1 });
  const px = floor.image.width * floor.image.height;
  assert.ok(px >= PLAN_FLOOR_PIXELS * 0.999 && px <= PLAN_FLOOR_PIXELS * 1.001, `${px} px`);
  const small = await decodePhoto(twoPeople, { planScale: 0.5 });
  assert.equal(small.scale, 1, 'a photo under the floor is never shrunk by the plan');
});

test('decodeRegion: full-resolution pixels of an oriented rectangle, clipped to the photo', async (t) => {
  const full = await decodePhoto(twoPeople);
  const rotated = path.join(tempDir(t), 'rotated.jpg');
  await sharp(twoPeople).rotate(-90).png().withMetadata({ orientation: 6 }).toFile(rotated);
  const photo = await decodePhoto(rotated);
  const { image, rect } = await decodeRegion(rotated, photo, {
    left: 1100,
    top: -10,
    width: 100,
    height: 50,
  });
  assert.deepEqual(rect, { left: 1100, top: 0, width: full.width - 1100, height: 40 });
  assert.deepEqual([image.width, image.height], [rect.width, rect.height]);
  for (let y = 0; y < rect.height; y++)
    for (let x = 0; x < rect.width; x++) {
      const k = ((rect.top + y) * full.image.width + rect.left + x) * 3;
      assert.equal(image.data[(y * rect.width + x) * 3], full.image.data[k], `pixel ${x},${y}`);
    }
});
