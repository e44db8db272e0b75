/**
 * [Note: recognition scores while it reads] The head worker's reader scores faces slice by slice as it
 * reads the catalog and keeps only the scores; the snapshot reader keeps every embedding and scores them
 * at once. On the same real library (head-library.ts: named people, strangers, a group photo, a
 * rejection, unnamed groups and a deleted face) both must decide exactly the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import { FacesRepo } from '../../main/engine/catalog/faces-repo';
import { PeopleRepo } from '../../main/engine/catalog/people-repo';
import { readLibrarySnapshot } from '../../main/engine/head/recognise/library-snapshot';
import {
  decideInput,
  recognitionInput,
  recognitionInputFromCatalog,
} from '../../main/engine/head/recognise/recognition-input';
import { library } from './head-library';

test('scoring faces while reading the catalog decides exactly as scoring a snapshot of it', async (t) => {
  const lib = await library(t);
  const db = lib.engine.context.db;
  // Unnamed groups (decided together) and a deleted face (never decided).
  const ids = [...lib.faceIds.values()];
  const group = db.prepare('UPDATE faces SET cluster_id = ? WHERE id = ?');
  for (const id of ids.slice(40, 48)) group.run(900, id);
  for (const id of ids.slice(56, 62)) group.run(901, id);
  db.prepare('UPDATE faces SET deleted_at = 1 WHERE id = ?').run(ids[63]);
  const repos = {
    faces: new FacesRepo(db),
    assignments: new AssignmentsRepo(db),
    people: new PeopleRepo(db),
  };
  const choice = { source: 'centroid', head: null, keepLearned: false };
  const snapshot = decideInput(recognitionInput(choice, readLibrarySnapshot(repos)));
  // Slices of 7 faces: several slices, the last one partial.
  const read = decideInput(recognitionInputFromCatalog(choice, repos, undefined, 7));
  assert.ok(snapshot.named.length > 0, 'nothing was named: the comparison would prove nothing');
  assert.ok(!read.decided.includes(ids[63]!), 'a deleted face was decided');
  assert.deepEqual(read, snapshot);
});
