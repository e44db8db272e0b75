/**
 * [Note: display preferences] The UI's language and theme live in the catalog, served by the one contract:
 * never chosen reads as null (follow the browser/system), a choice survives reopening the catalog (another
 * browser, the desktop app, a restart), null forgets it, and a bad value is refused by the schema.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { tempDir } from '../support/temp';

test('display preferences are kept in the catalog and read back after a restart', async (t) => {
  const dbPath = path.join(tempDir(t), 'catalog.db');
  const first = openEngine({ dbPath });
  assert.deepEqual(await first.api['app.prefs']({}), { language: null, theme: null });
  assert.deepEqual(await first.api['app.setPrefs']({ language: 'ko' }), { language: 'ko', theme: null });
  await first.api['app.setPrefs']({ theme: 'dark' });
  await first.close();

  const second = openEngine({ dbPath });
  t.after(() => second.close());
  assert.deepEqual(await second.api['app.prefs']({}), { language: 'ko', theme: 'dark' });
  assert.deepEqual(await second.api['app.setPrefs']({ language: null }), { language: null, theme: 'dark' });
  await assert.rejects(second.api['app.setPrefs']({ language: 'fr' } as never));
});
