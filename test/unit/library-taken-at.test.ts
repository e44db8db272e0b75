import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { readTakenAt } from '../../main/engine/library/taken-at';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

test('taken-at comes from EXIF DateTimeOriginal; none or garbage gives null', async (t) => {
  const dir = tempDir(t);
  const withDate = path.join(dir, 'dated.jpg');
  await sharp(face('face_recognition/examples/biden.jpg'))
    .withExif({ IFD0: { Make: 'Test' }, IFD2: { DateTimeOriginal: '2019:07:04 10:20:30' } })
    .toFile(withDate);
  const ms = await readTakenAt(withDate);
  assert.ok(ms !== null);
  const d = new Date(ms);
  assert.deepEqual([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours()], [2019, 7, 4, 10]);
  assert.equal(await readTakenAt(face('faceapi_bbt/amy/amy1.png')), null);
  assert.equal(await readTakenAt(path.join(dir, 'missing.jpg')), null);
});
