/**
 * A photo's thumbnail address changes once the photo is analysed (its crop follows the faces found,
 * [Note: thumbnail crop]): the browser would otherwise keep the crop made while the photo waited.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thumbUrl } from '../../renderer/src/lib/api/images';

test('a thumbnail address changes when its photo is analysed and when its faces change', () => {
  const waiting = thumbUrl({ id: 7, status: 'pending', faces: 0 });
  const analysed = thumbUrl({ id: 7, status: 'done', faces: 1 });
  const withAnother = thumbUrl({ id: 7, status: 'done', faces: 2 });
  assert.ok(waiting.startsWith('/img/thumb/7?'), waiting);
  assert.equal(new Set([waiting, analysed, withAnother]).size, 3);
  assert.equal(thumbUrl({ id: 7, status: 'done', faces: 1 }), analysed, 'stable while nothing changes');
});
