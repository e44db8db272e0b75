/** The people commands end to end through `visage` (main()), on a catalog with real faces. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../main/cli/main';
import { realFaces, tempCatalog } from './people-fixture';
import { tempDir } from '../support/temp';

async function visage(
  db: string,
  ...args: string[]
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('label, people, person, suggestions, confirm, reject, merge, undo, cluster, export and import', async (t) => {
  const cat = tempCatalog(t);
  const faces = await realFaces(4, 6);
  const ids = faces.map((f) => cat.photo([f]).faceIds[0]!);
  const label = faces[0]!.label;
  const own = ids.filter((_, i) => faces[i]!.label === label);
  cat.db.close();
  const db = cat.file;

  assert.equal((await visage(db, 'cluster', '--full')).code, 0);
  for (const id of own.slice(0, 2)) {
    const r = await visage(db, 'label', '--face', String(id), '--person', 'Ida');
    assert.equal(r.code, 0, r.err.join('\n'));
  }
  const people = JSON.parse((await visage(db, 'people', '--json')).out[0]!) as {
    name: string;
    faces: number;
  }[];
  assert.deepEqual(
    people.map((p) => [p.name, p.faces]),
    [['Ida', 2]],
  );
  // The plain listing: named people, then the unnamed groups with their sizes, each under its heading.
  const listing = (await visage(db, 'people')).out.join('\n');
  const [named, unnamed] = listing.split('Unnamed groups');
  assert.match(named!, /Named people: 1\n\s+\d+ {2}Ida {2}2 confirmed/);
  const groups = JSON.parse((await visage(db, 'people', '--json', '--groups')).out[0]!) as {
    groups: { id: number; size: number }[];
  };
  assert.ok(groups.groups.length >= 1, 'the fixture has unnamed groups');
  const total = groups.groups.reduce((n, g) => n + g.size, 0);
  assert.match(unnamed!, new RegExp(`^: ${groups.groups.length} \\(${total} faces\\)`));
  for (const g of groups.groups) assert.match(unnamed!, new RegExp(`group +${g.id} {2}${g.size} faces`));
  assert.doesNotMatch(unnamed!, /Ida/);
  const queue = (await visage(db, 'suggestions', '--json')).out.map(
    (l) => JSON.parse(l) as { faceId: number; faceIds: number[] },
  );
  assert.ok(queue.length >= 1, 'no suggestions after naming two faces');
  for (const s of queue) assert.ok(own.includes(s.faceId), `face ${s.faceId} is not Ida`);
  // "Yes" to a whole question by the id it is listed under: every face of it is confirmed.
  assert.equal((await visage(db, 'confirm', '--question', String(queue[0]!.faceId))).code, 0);
  assert.equal(
    (JSON.parse((await visage(db, 'person', 'Ida', '--json')).out[0]!) as { person: { faces: number } })
      .person.faces,
    2 + queue[0]!.faceIds.length,
  );
  assert.equal((await visage(db, 'confirm', String(queue[0]!.faceId))).code, 3, 'nothing left to confirm');
  assert.equal((await visage(db, 'confirm', '--question', '999999')).code, 3, 'no such question');
  const rejected = await visage(db, 'reject', '--face', String(own[0]), '--person', 'Ida');
  assert.match(rejected.out[0]!, /as not Ida/);
  await visage(
    db,
    'label',
    '--face',
    String(ids.find((_, i) => faces[i]!.label !== label)),
    '--person',
    'Jo',
  );
  assert.match((await visage(db, 'merge', 'Jo', 'Ida')).out[0]!, /Merged Jo into Ida/);
  assert.match((await visage(db, 'undo')).out[0]!, /Undid: Merged Jo into Ida/);
  assert.equal((await visage(db, 'person', 'Jo')).code, 0);

  const dir = tempDir(t);
  const file = path.join(dir, 'labels.json');
  assert.equal((await visage(db, 'export-labels', file)).code, 0);
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { people: { name: string }[] };
  assert.deepEqual(
    exported.people.map((p) => p.name),
    ['Ida', 'Jo'],
  );
  const imported = await visage(db, 'import-labels', file, '--json');
  assert.equal((JSON.parse(imported.out[0]!) as { confirmed: number }).confirmed, 0, 'labels imported twice');

  // Bad input: a clear message and exit code 2, nothing changed.
  assert.equal((await visage(db, 'reject', '--face', 'abc', '--person', 'Ida')).code, 2);
  assert.equal((await visage(db, 'merge', 'Nobody', 'Ida')).code, 3, 'unknown person: not found');
  assert.equal((await visage(db, 'import-labels', path.join(dir, 'missing.json'))).code, 3, 'missing file');
  const wrong = path.join(dir, 'wrong.json');
  writeFileSync(wrong, JSON.stringify({ ...exported, people: [{ name: 42 }] }));
  const refused = await visage(db, 'import-labels', wrong);
  assert.equal(refused.code, 2);
  assert.match(refused.err.join('\n'), /people\.0\.name/, 'the message names the field');
  assert.equal((await visage(db, 'xmp')).code, 2);
  assert.equal((await visage(db, 'confirm')).code, 2);

  // A whole unnamed group named at once, by the id `visage people` lists it under.
  const left = JSON.parse((await visage(db, 'people', '--json', '--groups')).out[0]!) as {
    groups: { id: number; size: number }[];
  };
  const group = left.groups[0]!;
  const named2 = await visage(db, 'label', '--group', String(group.id), '--person', 'Grouped');
  assert.equal(named2.code, 0, named2.err.join('\n'));
  assert.equal(
    (JSON.parse((await visage(db, 'person', 'Grouped', '--json')).out[0]!) as { person: { faces: number } })
      .person.faces,
    group.size,
  );
  assert.equal((await visage(db, 'label', '--group', 'x', '--person', 'Grouped')).code, 2);
});
