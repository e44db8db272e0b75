/**
 * Folder-per-person labelling through `visage label --from-folders` with real indexing, and a face added
 * by hand (embedded from the drawn box by the real pipeline).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../main/cli/main';
import { openEngine } from '../../main/engine/engine';
import { dot } from '../../main/engine/embedding-dot';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

test('label --from-folders indexes ROOT and confirms each photo’s main face as its folder’s person', async (t) => {
  const dir = tempDir(t, 'visage-folders-');
  const root = path.join(dir, 'sorted');
  const picked: Record<string, number> = {};
  for (const person of ['ben_afflek', 'madonna']) {
    const src = face('five_celebs', person);
    mkdirSync(path.join(root, person), { recursive: true });
    const files = readdirSync(src)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, 3);
    for (const f of files) copyFileSync(path.join(src, f), path.join(root, person, f));
    picked[person] = files.length;
  }
  const db = path.join(dir, 'catalog.db');
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, 'label', '--from-folders', root, '--json'], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  assert.equal(code, 0, err.join('\n'));
  const report = JSON.parse(out[0]!) as {
    people: number;
    labelled: number;
    noFace: string[];
    notIndexed: number;
  };
  assert.equal(report.people, 2);
  assert.equal(report.notIndexed, 0);
  assert.equal(report.labelled + report.noFace.length, picked.ben_afflek! + picked.madonna!);
  assert.ok(report.labelled >= 4, `only ${report.labelled} faces labelled`);

  const engine = openEngine({ dbPath: db });
  t.after(() => engine.close());
  const people = await engine.api['people.list']({});
  assert.deepEqual(
    people.map((p) => p.name),
    ['ben_afflek', 'madonna'],
  );
  // Running it again changes nothing (every face is already that person).
  const again = await engine.api['people.labelFromFolders']({ root });
  assert.equal(again.labelled, 0);
  assert.deepEqual(again.conflicts, []);

  // "Not a face", then drawn back by hand: the hand-drawn face embeds like the detected one did.
  const ben = await engine.api['people.get']({ person: 'ben_afflek' });
  const f = ben.faces[0]!;
  const before = (await engine.api['library.faces']({ embeddings: true })).items.find((x) => x.id === f.id)!;
  await engine.api['people.deleteFace']({ faceId: f.id });
  const added = await engine.api['people.addFace']({ photoId: f.photoId, box: f.box, name: 'ben_afflek' });
  const after = (await engine.api['library.faces']({ embeddings: true })).items.find(
    (x) => x.id === added.faceId,
  )!;
  assert.equal(after.person?.name, 'ben_afflek');
  assert.equal(after.assignment, 'confirmed');
  const similarity = dot(Float32Array.from(before.embedding!), Float32Array.from(after.embedding!));
  assert.ok(similarity > 0.9, `hand-drawn face embeds differently (cosine ${similarity.toFixed(3)})`);
  await assert.rejects(
    engine.api['people.addFace']({ photoId: f.photoId, box: { x: 1e6, y: 0, w: 10, h: 10 } }),
    /outside the photo/,
  );
  // Undo removes the hand-drawn face again.
  await engine.api['people.undo']({});
  assert.equal(
    (await engine.api['library.faces']({})).items.some((x) => x.id === added.faceId),
    false,
  );
});
