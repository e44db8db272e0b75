/**
 * A person's name agreement reaches their page ([Note: a name's own faces agree]): on real faces, a name
 * given to two different people's faces is flagged after a recognition run, a name given to one person's
 * faces is not, and a person with one confirmed face is not measured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { realFaces, tempCatalog } from './people-fixture';

test("a name given to two different people's faces is flagged on its page; one person's faces are not", async (t) => {
  const cat = tempCatalog(t);
  const byLabel = new Map<string, number[]>();
  for (const f of await realFaces(4, 5)) {
    const id = cat.photo([f]).faceIds[0]!;
    byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), id]);
  }
  const [a, b, c, d] = [...byLabel.values()];
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const api = engine.api;
  await api['people.name']({ faceIds: a!.slice(0, 3), person: 'Ann' });
  await api['people.name']({ faceIds: [b![0]!, c![0]!], person: 'Stranger' });
  await api['people.name']({ faceIds: [d![0]!], person: 'Dot' });
  assert.equal((await api['people.get']({ person: 'Ann' })).agreement, null, 'measured before any run');
  await api['head.recognise']({});
  const ann = (await api['people.get']({ person: 'Ann' })).agreement;
  const stranger = (await api['people.get']({ person: 'Stranger' })).agreement;
  assert.ok(ann !== null && ann > 0.9, `Ann's own faces: ${ann}`);
  assert.ok(stranger !== null && stranger < 0.5, `two people named Stranger: ${stranger}`);
  assert.equal((await api['people.get']({ person: 'Dot' })).agreement, null, 'one face cannot disagree');
  // Fixing the name (the other person's face is not Stranger) clears the doubt at the next run.
  await api['people.reject']({ faceId: c![0]!, person: 'Stranger' });
  await api['people.name']({ faceIds: [b![1]!], person: 'Stranger' });
  await api['head.recognise']({});
  const fixed = (await api['people.get']({ person: 'Stranger' })).agreement;
  assert.ok(fixed !== null && fixed > 0.9, `after the fix: ${fixed}`);
});
