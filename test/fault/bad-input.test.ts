/**
 * The bad-input corpus, generated at test time in a temporary folder (nothing is stored in the repo):
 * every file a scan meets is either indexed or listed in `library.status` with a clear reason, and none of
 * them stops the run.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { openEngine } from '../../main/engine/engine';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A tiny PNG whose header declares 30000 × 30000 pixels. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(90001 * 16))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What a file of the corpus must end as: indexed, or listed with a reason matching the pattern. */
type Expect = 'indexed' | RegExp | 'indexed-or-listed';

test('bad-input corpus: every file is indexed or listed with a clear reason', async (t) => {
  const dir = tempDir(t, 'visage-corpus-');
  const lib = path.join(dir, 'lib');
  mkdirSync(lib);
  const src = face('lfw_dev', 'Adam_Sandler', 'Adam_Sandler_0001.jpg');
  const jpg = readFileSync(src);
  const at = (name: string) => path.join(lib, name);
  const expect = new Map<string, Expect>();
  const put = (name: string, data: Buffer | string, e: Expect) => {
    mkdirSync(path.dirname(at(name)), { recursive: true });
    writeFileSync(at(name), data);
    expect.set(at(name), e);
  };
  const make = async (name: string, img: Sharp, e: Expect) => {
    await img.toFile(at(name));
    expect.set(at(name), e);
  };

  put('zero-byte.jpg', '', /empty/);
  put('truncated.jpg', jpg.subarray(0, jpg.length >> 1), /truncated/);
  const mid = jpg.length >> 1;
  put(
    'corrupt-middle.jpg',
    Buffer.concat([jpg.subarray(0, mid), Buffer.from([0xff, 0xd3, 0x12, 0x34]), jpg.subarray(mid)]),
    // Indexed, with a warning recorded. libvips's words vary: its error text is per process, and decodes
    // overlap in a worker ([Note: decode overlap]), so only "a decoder warning" is certain.
    /indexed with a warning: decoder warning/,
  );
  put(
    'random-bytes.jpg',
    Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 251)),
    /not a recognised image format/,
  );
  put('png-named.jpg', await sharp(jpg).png().toBuffer(), 'indexed');
  put('bomb.png', bombPng(), /image too large/);
  await make(
    'one-pixel.png',
    sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png(),
    'indexed',
  );
  await make('panorama.jpg', sharp(jpg).resize(6000, 250, { fit: 'fill' }).jpeg(), 'indexed');
  await make('cmyk.jpg', sharp(jpg).toColourspace('cmyk').jpeg(), 'indexed');
  await make('deep-16bit.png', sharp(jpg).toColourspace('rgb16').png(), 'indexed');
  const frame = await sharp(jpg).png().toBuffer();
  const blank = await sharp({ create: { width: 250, height: 250, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
  await make('animated.gif', sharp([frame, blank], { join: { animated: true } }).gif(), 'indexed');
  await make('photo.webp', sharp(jpg).webp(), 'indexed');
  // AVIF: decoded by this sharp build (its libheif has the AV1 decoder).
  await make('photo.avif', sharp(jpg).avif(), 'indexed');
  // HEIC: this sharp build has no HEVC decoder; the reason must say so plainly.
  put(
    'photo.heic',
    Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(12), jpg]),
    /HEIC/,
  );
  put('unreadable.jpg', jpg, process.getuid?.() === 0 ? 'indexed-or-listed' : /permission denied/);
  chmodSync(at('unreadable.jpg'), 0o000);
  put('locked/inside.jpg', jpg, process.getuid?.() === 0 ? 'indexed' : 'indexed-or-listed');
  chmodSync(path.join(lib, 'locked'), 0o000);
  if (process.getuid?.() !== 0) expect.set(path.join(lib, 'locked'), /permission denied/);
  t.after(() => {
    // Let the temporary folder be removed (already gone when its own clean-up ran first, as root).
    try {
      chmodSync(path.join(lib, 'locked'), 0o755);
    } catch {
      // removed already
    }
  });
  symlinkSync(path.join(lib, 'nowhere.jpg'), at('dangling.jpg'));
  expect.set(at('dangling.jpg'), /broken symbolic link/);
  symlinkSync(at('self-loop.jpg'), at('self-loop.jpg'));
  expect.set(at('self-loop.jpg'), /symbolic link loop/);
  symlinkSync(lib, at('loop-back')); // a folder link back to the root: walked once, nothing to report
  put('naïve 名前 #1 (copy).jpg', jpg, 'indexed');
  put(' leading space.jpg', jpg, 'indexed');
  put('-starts-with-dash.jpg', jpg, 'indexed');
  put('new\nline.jpg', jpg, 'indexed');
  put(`${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/deep.jpg`, jpg, 'indexed');

  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  t.after(() => engine.close());
  await engine.api['library.addFolder']({ path: lib, index: false });
  const summary = await engine.api['library.rescan']({ wait: true });
  assert.equal(summary.state, 'done', JSON.stringify(summary.scan.problems));
  const status = await engine.api['library.status']({});
  const photos = await engine.api['library.photos']({ limit: 5000 });
  const indexed = new Set(photos.items.filter((p) => p.status === 'done').map((p) => p.path));
  // Damaged photos are indexed and listed apart from the files that could not be read.
  for (const d of status.damaged) {
    assert.ok(indexed.has(d.path), `${d.path}: damaged but not indexed`);
    assert.ok(!status.errors.some((e) => e.path === d.path), `${d.path}: damaged and listed as unreadable`);
  }
  const listed = new Map([
    ...status.errors.map((e): [string, string] => [e.path, e.error]),
    ...status.damaged.map((d): [string, string] => [d.path, `indexed with a warning: ${d.detail}`]),
  ]);
  const report: string[] = [];
  for (const [file, e] of expect) {
    const reason = listed.get(file);
    const name = path.relative(lib, file);
    if (e === 'indexed') {
      if (!indexed.has(file)) report.push(`${name}: expected indexed, got ${reason ?? 'nothing'}`);
      else if (reason && !reason.startsWith('indexed with a warning')) report.push(`${name}: ${reason}`);
    } else if (e === 'indexed-or-listed') {
      if (!indexed.has(file) && !reason) report.push(`${name}: neither indexed nor listed`);
    } else if (!reason || !e.test(reason)) report.push(`${name}: expected ${e}, got ${reason ?? 'nothing'}`);
  }
  assert.deepEqual(report, []);
  // Status accounts for every photo row: done, or listed with its reason.
  assert.equal(status.photos.pending, 0);
  for (const p of photos.items) {
    assert.ok(p.status === 'done' || listed.has(p.path), `${p.path} (${p.status}) is accounted for`);
  }
});
