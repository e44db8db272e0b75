/**
 * The grouping service keeps every face's grouping state in memory between runs, kept current by the
 * grouping change log ([Note: grouping change log]). If the log missed a writer, groups shown and grouping
 * runs would act on a stale picture: so after every kind of edit — through the API, by undo, and straight
 * from another connection (another process on the same catalog) — the groups the engine serves must equal
 * what the catalog says (ClusterRepo.groups, one SQL query), and a prune of the log makes it reload.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import { ClusterRepo } from '../../main/engine/catalog/cluster-repo';
import { openDatabase, type Db } from '../../main/engine/catalog/database';
import { GroupingChangesRepo } from '../../main/engine/catalog/grouping-changes-repo';
import { SearchRepo } from '../../main/engine/catalog/search-repo';
import { openEngine } from '../../main/engine/engine';
import { ClusterService } from '../../main/engine/people/cluster-service';
import { defaults } from '../../main/engine/people/settings';
import { realFaces, tempCatalog } from './people-fixture';

test('served groups follow every writer: API edits, undo, another connection, a pruned log', async (t) => {
  const cat = tempCatalog(t);
  const faces = await realFaces(4, 6);
  for (const f of faces) cat.photo([f]);
  const engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const api = engine.api;
  // Another process: its own connection to the same file.
  const other = openDatabase(cat.file);
  t.after(() => other.close());
  const truth = new ClusterRepo(other);
  const same = async (step: string) => {
    assert.deepEqual(await api['people.groups']({ minSize: 1 }), truth.groups(1), `after ${step}`);
  };

  await api['people.cluster']({ full: true });
  await same('a full re-group');
  const groups = await api['people.groups']({ minSize: 1 });
  assert.ok(groups.length >= 2, `only ${groups.length} groups`);
  await api['people.name']({ group: groups[0]!.id, person: 'Ann' });
  await same('naming a group');
  await api['people.split']({ faceIds: groups[1]!.faceIds.slice(0, 2) });
  await same('a split');
  await api['people.deleteFace']({ faceId: groups[1]!.faceIds.at(-1)! });
  await same('deleting a face');
  await api['people.undo']({});
  await same('undo');
  const annFace = groups[0]!.faceIds[0]!;
  await api['people.reject']({ faceId: annFace, person: 'Ann' });
  await same('a rejection');

  // Straight SQL from the other connection: a face moved between groups, an assignment removed, a face deleted.
  const moved = groups.at(-1)!.faceIds[0]!;
  other.prepare('UPDATE faces SET cluster_id = ? WHERE id = ?').run(groups[1]!.id, moved);
  await same('another connection moved a face');
  other.prepare('DELETE FROM assignments WHERE face_id = ?').run(groups[0]!.faceIds[1]!);
  other.prepare('UPDATE faces SET cluster_id = ? WHERE id = ?').run(groups[1]!.id, groups[0]!.faceIds[1]!);
  await same('another connection cleared a name');
  other.prepare('UPDATE faces SET deleted_at = 1 WHERE id = ?').run(groups[1]!.faceIds[0]!);
  await same('another connection deleted a face');

  // A change the engine never read, then the log pruned past it: the engine must reload, not miss it.
  const log = new GroupingChangesRepo(other);
  other.prepare('UPDATE faces SET cluster_id = NULL WHERE id = ?').run(moved);
  log.prune(log.lastChange());
  await same('a change behind a pruned log');
});

test('the grouping change log names real changes only (recognition rewrites unchanged suggestions)', async (t) => {
  const cat = tempCatalog(t);
  const faces = await realFaces(2, 2);
  const { faceIds } = cat.photo([faces[0]!]);
  const log = new GroupingChangesRepo(cat.db);
  const person = Number(
    cat.db.prepare("INSERT INTO people (name, created_at) VALUES ('Ann', 0)").run().lastInsertRowid,
  );
  const put = cat.db.prepare(
    `INSERT INTO assignments (face_id, person_id, kind, source, confidence, created_at) VALUES (?, ?, 'suggested', 'centroid', ?, 0)
     ON CONFLICT(face_id) DO UPDATE SET person_id = excluded.person_id, kind = excluded.kind, source = excluded.source,
       confidence = excluded.confidence`,
  );
  put.run(faceIds[0], person, 0.6);
  const before = log.lastChange();
  put.run(faceIds[0], person, 0.7); // the same suggestion, another confidence: nothing grouping reads
  assert.equal(log.lastChange(), before, 'an unchanged suggestion was logged');
  cat.db
    .prepare("UPDATE assignments SET kind = 'confirmed', source = 'user' WHERE face_id = ?")
    .run(faceIds[0]);
  assert.deepEqual([...log.changesSince(before).faceIds], [faceIds[0]], 'a confirmation was not logged');
  cat.db.prepare('UPDATE faces SET x = x + 1 WHERE id = ?').run(faceIds[0]);
  assert.equal(log.changesSince(before).faceIds.size, 1, 'a box move (not read by grouping) was logged');
});

test('faces left ungrouped are kept in the catalog, so a restart does not search them again; a name takes one out', async (t) => {
  const cat = tempCatalog(t);
  const faces = await realFaces(4, 6);
  const labels = [...new Set(faces.map((f) => f.label))];
  // Three people grouped normally; the fourth only in faces too poor to start a group.
  for (const f of faces) {
    if (f.label === labels[3]) cat.photo([f], { quality: { size: 12, blur: 1, pose: 0.9 } });
    else cat.photo([f]);
  }
  const kept = () =>
    cat.db.prepare('SELECT face_id FROM grouping_left_out ORDER BY face_id').pluck().all() as number[];
  const ungrouped = () =>
    cat.db
      .prepare(
        `SELECT f.id FROM faces f LEFT JOIN assignments a ON a.face_id = f.id
         WHERE f.cluster_id IS NULL AND a.face_id IS NULL ORDER BY f.id`,
      )
      .pluck()
      .all() as number[];
  let engine = openEngine({ dbPath: cat.file });
  await engine.api['people.cluster']({ full: false });
  await engine.close();
  assert.ok(ungrouped().length > 0, 'the poor faces were grouped after all');
  assert.deepEqual(kept(), ungrouped(), 'the faces left out are not what the catalog keeps');
  engine = openEngine({ dbPath: cat.file });
  t.after(() => engine.close());
  const face = kept()[0]!;
  await engine.api['people.name']({ faceIds: [face], person: 'Dee' });
  await engine.api['people.groups']({});
  assert.ok(!kept().includes(face), 'a named face is still kept as left out');
});

/** A grouping service as the engine makes one (both change logs), on `clusters` (a test may wrap it). */
const groupingOn = (db: Db, clusters: ClusterRepo) =>
  new ClusterService({
    db,
    clusters,
    assignments: new AssignmentsRepo(db),
    settings: defaults,
    faceChanges: new SearchRepo(db),
    groupChanges: new GroupingChangesRepo(db),
  });

test('a warmed grouping state groups new faces exactly as a cold one does; warming ends', async (t) => {
  const faces = await realFaces(4, 6);
  // Two identical catalogs: the first three-quarters of the faces grouped, the rest arriving later.
  const setUp = async () => {
    const cat = tempCatalog(t);
    faces.forEach((f, i) => {
      if (i % 4 !== 0) cat.photo([f]);
    });
    const engine = openEngine({ dbPath: cat.file });
    await engine.api['people.cluster']({ full: true });
    await engine.close();
    faces.forEach((f, i) => {
      if (i % 4 === 0) cat.photo([f]);
    });
    return cat;
  };
  const run = (cat: Awaited<ReturnType<typeof setUp>>, warm: boolean) => {
    const clusters = new ClusterRepo(cat.db);
    const service = groupingOn(cat.db, clusters);
    let slices = 0;
    if (warm) while (!service.warm(1)) assert.ok(++slices < 10_000, 'warming never ended');
    const summary = service.incremental();
    assert.ok(summary.placed > 0, 'the new faces were not placed');
    return clusters.groups(1).map((g) => g.faceIds);
  };
  assert.deepEqual(run(await setUp(), true), run(await setUp(), false));
});

test("after a full re-group, groups take the summaries its plan computed: none is read again, the next run's groups are the same", async (t) => {
  const faces = await realFaces(4, 6);
  const cat = tempCatalog(t);
  faces.forEach((f, i) => {
    if (i % 4 !== 0) cat.photo([f]);
  });
  const make = (countReads: { n: number } | null) => {
    const clusters = new ClusterRepo(cat.db);
    const read = clusters.embeddings.bind(clusters);
    if (countReads)
      clusters.embeddings = (ids) => {
        countReads.n += ids.length;
        return read(ids);
      };
    return groupingOn(cat.db, clusters);
  };
  const reads = { n: 0 };
  const adopted = make(reads);
  adopted.full();
  reads.n = 0;
  while (!adopted.warm(50));
  assert.equal(reads.n, 0, 'summaries were read again after the full re-group');
  // New faces: the adopted summaries group them as summaries computed from the catalog do.
  faces.forEach((f, i) => {
    if (i % 4 === 0) cat.photo([f]);
  });
  const before = cat.db.prepare('SELECT id, cluster_id FROM faces ORDER BY id').all();
  const computed = make(null);
  computed.incremental();
  const byComputed = new ClusterRepo(cat.db).groups(1);
  // Undo the computed run's writes (back to the state before it), then run the adopted service.
  const restore = cat.db.prepare('UPDATE faces SET cluster_id = ? WHERE id = ?');
  cat.db.transaction(() => {
    for (const r of before as { id: number; cluster_id: number | null }[]) restore.run(r.cluster_id, r.id);
    cat.db.prepare('DELETE FROM grouping_left_out').run();
  })();
  adopted.incremental();
  assert.deepEqual(new ClusterRepo(cat.db).groups(1), byComputed);
});
