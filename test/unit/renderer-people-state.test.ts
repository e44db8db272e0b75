/**
 * The people rune class (renderer/src/lib/state/people.svelte.ts) against a real engine on a temporary
 * catalog, through the same in-process client the CLI uses: refresh loads what the engine has, an edit the
 * engine refuses is worded from its message key ([Note: worded messages]) and changes nothing, and Undo
 * with nothing to undo says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { importState, install } from '../support/svelte-runes';

interface PeopleLike {
  list: { name: string }[];
  groups: unknown[];
  loaded: boolean;
  revision: number;
  refresh(): Promise<void>;
  rename(person: string, name: string): Promise<unknown>;
  undo(): Promise<void>;
  regroup(): Promise<boolean>;
  settings(): Promise<{ key: string; value: number; default: number }[]>;
  setSetting(key: string, value: number | null): Promise<{ key: string; value: number }[]>;
}
interface NoticesLike {
  items: { text: string | (() => string); kind: 'info' | 'error' }[];
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-renderer-people-'));
const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});
install(engine.api);
const { people } = await importState<{ people: PeopleLike }>('people');
const { notices } = await importState<{ notices: NoticesLike }>('notices');

/** A notice's words: toasts keep a function so a language switch re-words them. */
const worded = (text: string | (() => string)) => (typeof text === 'function' ? text() : text);

test('refresh loads the engine people and groups (an empty catalog has none)', async () => {
  assert.equal(people.loaded, false);
  await people.refresh();
  assert.equal(people.loaded, true);
  assert.deepEqual(people.list, []);
  assert.deepEqual(people.groups, []);
});

test('an edit the engine refuses is shown worded, and nothing changes', async () => {
  const revision = people.revision;
  const result = await people.rename('Nobody', 'Somebody');
  assert.equal(result, null);
  assert.equal(people.revision, revision, 'a refused edit does not count as a change');
  const last = notices.items.at(-1);
  assert.equal(last?.kind, 'error');
  assert.match(worded(last.text), /Nobody/);
  assert.doesNotMatch(worded(last.text), /^err\.|\{/, 'worded, not a raw key');
});

test('undo with nothing to undo says so', async () => {
  await people.undo();
  const last = notices.items.at(-1);
  assert.equal(last?.kind, 'info');
  assert.match(worded(last.text), /nothing to undo/i);
});

test('settings round-trip through the engine; a regroup counts as a change', async () => {
  const [first] = await people.settings();
  assert.ok(first, 'the engine lists grouping settings');
  const changed = await people.setSetting(first.key, first.default === 0 ? 0.5 : first.default / 2);
  assert.notEqual(changed.find((s) => s.key === first.key)?.value, first.default);
  const restored = await people.setSetting(first.key, null);
  assert.equal(restored.find((s) => s.key === first.key)?.value, first.default);
  const revision = people.revision;
  assert.equal(await people.regroup(), true);
  assert.equal(people.revision, revision + 1);
});
