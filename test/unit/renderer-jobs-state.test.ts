/**
 * The jobs rune class (renderer/src/lib/state/jobs.svelte.ts) against a real engine: listeners (the
 * library and people views, which reload when a job ends) hear of a job's snapshot when it changes, not
 * each time the poll re-reads it unchanged; an unchanged idle index job used to reload the whole library
 * every two seconds while a re-group ran.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { importState, install } from '../support/svelte-runes';

interface JobsLike {
  progress: Partial<Record<string, { state: string }>>;
  refresh(): Promise<void>;
  onChange(listener: (p: { job: string; state: string }) => void): () => void;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-renderer-jobs-'));
const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});
install(engine.api);
const { jobs } = await importState<{ jobs: JobsLike }>('jobs');

test('a re-read snapshot reaches listeners only when it changed', async () => {
  const heard: string[] = [];
  jobs.onChange((p) => heard.push(`${p.job}:${p.state}`));
  await jobs.refresh();
  assert.ok(heard.includes('index:idle'), 'the first snapshot of each job is heard');
  const first = heard.length;
  await jobs.refresh();
  assert.deepEqual(heard.slice(first), [], 'nothing changed, nothing heard');
  await engine.api['people.cluster']({ full: false });
  await jobs.refresh();
  const changed = heard.slice(first);
  assert.ok(
    changed.length > 0 && changed.every((h) => h.startsWith('cluster:') || h.startsWith('recognise:')),
    `only the jobs that ran (grouping, the recognition after it) are heard again: ${changed.join(', ')}`,
  );
  assert.equal(jobs.progress.cluster?.state, 'done');
});
