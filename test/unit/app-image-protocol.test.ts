/**
 * Electron's visage:// protocol handler (a plain Request → Response function) on a real indexed library:
 * thumbnails, previews and face crops are real JPEGs made by sharp and served with the CSP; a photo reached
 * through a symlink out of the library is refused even though the scanner found it; addresses that are not
 * /img/<kind>/<id> never reach the file system; everything else is the built UI.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { visageProtocolHandler } from '../../main/app/image-protocol';
import { openEngine, type Engine } from '../../main/engine/engine';

const faces = process.env.VISAGE_FACES ?? path.resolve(import.meta.dirname, '../../../shared/data/faces');

describe('visage:// protocol', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-proto-'));
  const library = path.join(dir, 'library');
  const outside = path.join(dir, 'outside');
  const dist = path.join(dir, 'dist');
  let engine: Engine;
  let handle: (r: Request) => Promise<Response>;
  let inside: { id: number; path: string };
  let linkedOut: { id: number };
  let faceId: number;

  before(async () => {
    mkdirSync(library, { recursive: true });
    mkdirSync(outside);
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Visage</title>');
    const lfw = path.join(faces, 'lfw_dev', 'Gerhard_Schroeder');
    copyFileSync(path.join(lfw, 'Gerhard_Schroeder_0001.jpg'), path.join(library, 'in.jpg'));
    copyFileSync(path.join(lfw, 'Gerhard_Schroeder_0002.jpg'), path.join(outside, 'out.jpg'));
    symlinkSync(path.join(outside, 'out.jpg'), path.join(library, 'link-out.jpg'));
    engine = openEngine({ dbPath: path.join(dir, 'home', 'catalog.db') });
    await engine.api['library.addFolder']({ path: library, index: false });
    await engine.api['library.rescan']({ wait: true });
    const photos = (await engine.api['library.photos']({})).items;
    const found = photos.find((p) => p.path.endsWith('in.jpg'));
    const link = photos.find((p) => p.path.endsWith('link-out.jpg'));
    assert.ok(found && link, `indexed: ${photos.map((p) => p.path).join(', ')}`);
    [inside, linkedOut] = [found, link];
    faceId = (await engine.api['library.photoFaces']({ photoId: inside.id }))[0]!.id;
    handle = visageProtocolHandler({ api: engine.api, home: engine.context.home, dist });
  });

  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string) => handle(new Request(`visage://app${p}`));

  it('serves thumbnails, previews and face crops as real JPEGs with the CSP', async () => {
    for (const [p, size] of [
      [`/img/thumb/${inside.id}`, 320],
      [`/img/face/${faceId}`, 160],
      [`/img/preview/${inside.id}`, 250],
    ] as const) {
      const res = await get(p);
      assert.equal(res.status, 200, p);
      assert.equal(res.headers.get('content-type'), 'image/jpeg');
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      assert.equal(meta.format, 'jpeg', p);
      assert.equal(Math.max(meta.width, meta.height), size, p);
    }
    const original = await get(`/img/photo/${inside.id}`);
    assert.equal(original.status, 200);
    assert.equal(original.headers.get('content-type'), 'image/jpeg');
  });

  it('refuses a photo that is a symlink out of the library, in every size', async () => {
    for (const kind of ['photo', 'preview', 'thumb']) {
      const res = await get(`/img/${kind}/${linkedOut.id}`);
      assert.equal(res.status, 403, kind);
    }
  });

  it('refuses malformed addresses and unknown ids', async () => {
    assert.equal((await get('/img/thumb/%2e%2e')).status, 400);
    assert.equal((await get('/img/thumb/1%2F..%2F..%2Fetc%2Fpasswd')).status, 400);
    assert.equal((await get('/img/thumb/424242')).status, 404);
    assert.equal((await handle(new Request('visage://elsewhere/img/thumb/1'))).status, 404);
  });

  it('serves the UI for every other path, never a file outside it', async () => {
    for (const p of ['/', '/index.html', '/..%2f..%2fpackage.json', '/people/3']) {
      const res = await get(p);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<title>Visage<\/title>/, p);
    }
  });
});
