/**
 * The image allow-list ([Note: image allow-list]) on a real file tree: files inside a library folder or the
 * thumbnail cache pass; `..`, relative paths, absolute paths elsewhere, symlinks out of the library and
 * encoded dot segments in image addresses are refused.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  allowedImageFile,
  ImageAccessError,
  isInside,
  parseImagePath,
  thumbnailCacheDir,
} from '../../main/engine/library/image-access';

const faces = process.env.VISAGE_FACES ?? path.resolve(import.meta.dirname, '../../../shared/data/faces');

async function refusal(p: string, roots: string[]): Promise<number> {
  try {
    await allowedImageFile(p, roots);
    return 200;
  } catch (err) {
    assert.ok(err instanceof ImageAccessError, `unexpected ${String(err)}`);
    return err.status;
  }
}

describe('image allow-list', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-allow-'));
  const library = path.join(dir, 'library');
  const outside = path.join(dir, 'outside');
  const home = path.join(dir, 'home');
  const photo = path.join(library, 'a', 'photo.jpg');

  before(() => {
    mkdirSync(path.join(library, 'a'), { recursive: true });
    mkdirSync(outside);
    mkdirSync(path.join(thumbnailCacheDir(home), 'thumb'), { recursive: true });
    copyFileSync(path.join(faces, 'lfw_dev', 'Colin_Powell', 'Colin_Powell_0001.jpg'), photo);
    writeFileSync(path.join(outside, 'secret.jpg'), 'not yours');
    writeFileSync(path.join(thumbnailCacheDir(home), 'thumb', '1-x.jpg'), 'thumb');
    symlinkSync(path.join(outside, 'secret.jpg'), path.join(library, 'a', 'link-out.jpg'));
    symlinkSync(outside, path.join(library, 'dir-out'));
    symlinkSync(photo, path.join(outside, 'link-in.jpg'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const roots = () => [library, thumbnailCacheDir(home)];

  it('serves files inside a library folder and the thumbnail cache', async () => {
    assert.equal(await allowedImageFile(photo, roots()), photo);
    const thumb = path.join(thumbnailCacheDir(home), 'thumb', '1-x.jpg');
    assert.equal(await allowedImageFile(thumb, roots()), thumb);
    // A link from elsewhere to a library file resolves into the library: allowed, served by its real path.
    assert.equal(await allowedImageFile(path.join(outside, 'link-in.jpg'), roots()), photo);
  });

  it('refuses absolute paths elsewhere (403) and symlinks that leave the library (403)', async () => {
    assert.equal(await refusal(path.join(outside, 'secret.jpg'), roots()), 403);
    assert.equal(await refusal('/etc/hostname', roots()), 403);
    assert.equal(await refusal(path.join(library, 'a', 'link-out.jpg'), roots()), 403);
    assert.equal(await refusal(path.join(library, 'dir-out', 'secret.jpg'), roots()), 403);
  });

  it('refuses ".." segments, relative paths and NUL bytes outright (400)', async () => {
    assert.equal(await refusal(`${library}/a/../../outside/secret.jpg`, roots()), 400);
    assert.equal(
      await refusal(`${library}/a/../a/photo.jpg`, roots()),
      400,
      'even when it would stay inside',
    );
    assert.equal(await refusal('a/photo.jpg', roots()), 400);
    assert.equal(await refusal(`${photo}\0.png`, roots()), 400);
  });

  it('answers 404 for missing files and folders', async () => {
    assert.equal(await refusal(path.join(library, 'a', 'missing.jpg'), roots()), 404);
    assert.equal(await refusal(path.join(library, 'a'), roots()), 404);
  });

  it('does not treat a sibling with a common prefix as inside', () => {
    assert.equal(isInside('/photos-private/x.jpg', '/photos'), false);
    assert.equal(isInside('/photos/x.jpg', '/photos'), true);
    assert.equal(isInside('/photos', '/photos'), true);
  });

  it('parses only /img/<kind>/<id>: no dot segments, encodings or other shapes', () => {
    assert.deepEqual(parseImagePath('/img/thumb/12'), { kind: 'thumb', id: 12 });
    assert.deepEqual(parseImagePath('/img/face/3'), { kind: 'face', id: 3 });
    for (const bad of [
      '/img/thumb/../1',
      '/img/thumb/%2e%2e/1',
      '/img/thumb/%2E%2E%2F1',
      '/img/thumb/1%2f..',
      '/img/thumb/..%5c1',
      '/img/thumb/1/',
      '/img/thumb/01',
      '/img/thumb/0',
      '/img/file/1',
      '/img/thumb/1?x',
      '/img//thumb/1',
      '/IMG/thumb/1',
      '/img/thumb/99999999999999999',
    ]) {
      assert.throws(() => parseImagePath(bad), ImageAccessError, bad);
    }
  });
});
