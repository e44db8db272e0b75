/**
 * Undo runs grouping only when the undone edit changed what grouping reads: undoing a rename or a hide
 * writes back one person row, so no grouping run (and no "Grouping faces…" in the app's sidebar) follows;
 * undoing a naming frees faces, so one does. Real catalog file, real faces, the contract's own events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Progress } from '../../main/api/jobs';
import { openEngine, type Engine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from './people-fixture';

/** Every state the 'cluster' job reported while `fn` ran and the work it scheduled settled. */
async function clusterStates(engine: Engine, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const off = engine.api.on('jobs.progress', (p: Progress) => {
    if (p.job === 'cluster') seen.push(`${p.state}:${p.phase}`);
  });
  try {
    await fn();
    // The review queue waits for scheduled grouping and the recognition after it (flushAll).
    await engine.api['people.suggestions']({});
  } finally {
    off();
  }
  return seen;
}

test('undoing a rename or a hide runs no grouping; undoing a naming does', async (t) => {
  const cat = tempCatalog(t);
  const ids: number[] = [];
  for (const f of await realFaces(2, 4)) ids.push(cat.photo([f]).faceIds[0]!);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  await engine.api['people.cluster']({ full: true });

  const named = await clusterStates(engine, () =>
    engine.api['people.name']({ faceIds: ids.slice(0, 2), person: 'Ann' }),
  );
  assert.ok(named.includes('running:grouping new faces'), `naming ran no grouping: ${named.join(', ')}`);

  await engine.api['people.rename']({ person: 'Ann', name: 'Anna' });
  await engine.api['people.suggestions']({});
  let undone: string | undefined;
  const renameUndo = await clusterStates(engine, async () => {
    undone = (await engine.api['people.undo']({})).undone?.message?.key;
  });
  assert.equal(undone, 'edit.renamed');
  assert.deepEqual(renameUndo, [], 'undoing a rename ran grouping');
  assert.deepEqual(
    (await engine.api['people.list']({})).map((p) => p.name),
    ['Ann'],
  );

  await engine.api['people.hide']({ person: 'Ann', hidden: true });
  assert.deepEqual(
    await clusterStates(engine, () => engine.api['people.undo']({})),
    [],
    'undoing a hide ran grouping',
  );

  // The naming's own undo frees two faces: grouping places them again.
  const nameUndo = await clusterStates(engine, () => engine.api['people.undo']({}));
  assert.ok(
    nameUndo.includes('running:grouping new faces'),
    `undoing a naming ran no grouping: ${nameUndo.join(', ')}`,
  );
});

test('the status says what runs: grouping as "cluster", the recognition after it as "recognise"', async (t) => {
  const cat = tempCatalog(t);
  const ids: number[] = [];
  for (const f of await realFaces(2, 4)) ids.push(cat.photo([f]).faceIds[0]!);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  await engine.api['people.cluster']({ full: true });
  const seen: string[] = [];
  const off = engine.api.on('jobs.progress', (p: Progress) => {
    if (p.job === 'cluster' || p.job === 'recognise') seen.push(`${p.job}:${p.state}:${p.phase}`);
  });
  await engine.api['people.name']({ faceIds: ids.slice(0, 2), person: 'Ann' });
  await engine.api['people.suggestions']({}); // waits for grouping and the recognition after it
  off();
  // "Grouping faces…" stayed up for the whole recognition run (a minute at library scale): the grouping
  // job ends when grouping does, and the recognition is a job of its own.
  const of = (job: string) => [...new Set(seen.filter((s) => s.startsWith(`${job}:`)))];
  assert.deepEqual(of('cluster'), ['cluster:running:grouping new faces', 'cluster:done:grouping new faces']);
  assert.deepEqual(of('recognise'), [
    'recognise:running:recognising faces',
    'recognise:done:recognising faces',
  ]);
  const status = await engine.api['jobs.status']({});
  assert.equal(status.find((p) => p.job === 'recognise')?.state, 'done');
});
