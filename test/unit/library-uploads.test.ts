/** Uploads: sniffed before anything is stored, the extension from the bytes, and a bounded number kept. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MAX_FILES, storeUpload, uploadsDir } from '../../main/engine/library/uploads';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

test('non-image bytes are refused and nothing is stored', async (t) => {
  const home = tempDir(t);
  await assert.rejects(
    storeUpload(home, Buffer.from('#!/bin/sh\nrm -rf /\n').toString('base64')),
    /not an image/,
  );
  let stored: string[] = [];
  try {
    stored = readdirSync(uploadsDir(home));
  } catch {
    // never created: nothing stored
  }
  assert.deepEqual(stored, []);
});

test('the extension comes from the bytes, and at most MAX_FILES uploads are kept', async (t) => {
  const home = tempDir(t);
  const jpeg = readFileSync(face('face_recognition/examples/obama.jpg')).toString('base64');
  const first = await storeUpload(home, jpeg);
  assert.equal(path.extname(first), '.jpg');
  for (let i = 0; i < MAX_FILES + 5; i++) await storeUpload(home, jpeg, Date.now() + i);
  assert.ok(readdirSync(uploadsDir(home)).length <= MAX_FILES);
});
