import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { tempDir } from '../support/temp';

test('indexing settings: defaults, set, range checks, reset, and a bad stored row reads as the default', async (t) => {
  const engine = openEngine({ dbPath: path.join(tempDir(t), 'c.db') });
  t.after(() => engine.close());
  const api = engine.api;
  const byKey = async () => Object.fromEntries((await api['library.settings']({})).map((s) => [s.key, s]));
  const before = await byKey();
  assert.equal(before.minFaceSize!.value, before.minFaceSize!.default);
  assert.ok(before.minScore!.description.length > 40, 'every setting is explained in words');
  await api['library.setSetting']({ key: 'minFaceSize', value: 48 });
  assert.equal((await byKey()).minFaceSize!.value, 48);
  await assert.rejects(api['library.setSetting']({ key: 'minFaceSize', value: 40.5 }), /whole number/);
  await assert.rejects(api['library.setSetting']({ key: 'minScore', value: 2 }), /outside/);
  await assert.rejects(api['library.setSetting']({ key: 'nope', value: 1 }), /Unknown setting/);
  engine.context.db
    .prepare("UPDATE settings SET value = '\"garbage\"' WHERE key = 'index.setting.minFaceSize'")
    .run();
  assert.equal((await byKey()).minFaceSize!.value, before.minFaceSize!.default);
  await api['library.setSetting']({ key: 'minFaceSize', value: null });
  assert.equal((await byKey()).minFaceSize!.value, before.minFaceSize!.default);
});
