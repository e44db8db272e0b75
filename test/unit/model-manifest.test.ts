import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  loadManifest,
  ModelFileError,
  modelFor,
  modelsDir,
  verifiedModelPath,
} from '../../main/engine/vision/model-manifest';
import { extractFromTgz } from '../../main/engine/vision/tarball';
import { tempDir } from '../support/temp';

test('the manifest pins every role to an npm package version and a sha256', () => {
  const models = loadManifest();
  for (const role of ['detector', 'landmarks', 'embedder'] as const) {
    const m = modelFor(role, models);
    assert.match(m.sha256, /^[0-9a-f]{64}$/);
    assert.match(m.source.version, /^\d+\.\d+\.\d+$/);
  }
});

test('installed models verify; a missing or corrupt model fails with an error naming the fix', async (t) => {
  const entry = modelFor('landmarks');
  assert.equal(await verifiedModelPath(entry), path.join(modelsDir(), entry.file));
  const dir = tempDir(t);
  await assert.rejects(verifiedModelPath(entry, dir), (e: unknown) => {
    assert.ok(e instanceof ModelFileError);
    assert.match(e.message, /missing.*npm install/s);
    return true;
  });
  copyFileSync(path.join(modelsDir(), entry.file), path.join(dir, entry.file));
  writeFileSync(path.join(dir, entry.file), 'garbage', { flag: 'a' });
  await assert.rejects(verifiedModelPath(entry, dir), /corrupt.*expected.*npm install/s);
});

function tarEntry(name: string, body: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write(body.length.toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  header.write('0', 156, 'ascii');
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([header, padded]);
}

test('extractFromTgz returns only the wanted files, byte for byte', () => {
  const a = Buffer.from('model-a'.repeat(100));
  const b = Buffer.from('other');
  const tgz = gzipSync(
    Buffer.concat([tarEntry('package/a.onnx', a), tarEntry('package/b.txt', b), Buffer.alloc(1024)]),
  );
  const out = extractFromTgz(tgz, ['package/a.onnx', 'package/none']);
  assert.deepEqual([...out.keys()], ['package/a.onnx']);
  assert.ok(out.get('package/a.onnx')!.equals(a));
});
