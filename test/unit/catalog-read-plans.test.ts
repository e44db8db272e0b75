/**
 * The reads the UI repeats (library folders, status, the grid's first page, people's face counts) walk an
 * index of what they return (migration 014), never every photo or every assigned face's row: at 100 000
 * photos a full scan or sort cost the one serving thread tens to hundreds of ms per read. Each test runs the
 * repository's own SQL (recorded as it runs) through EXPLAIN QUERY PLAN, and checks the answers too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase, type Db } from '../../main/engine/catalog/database';
import { ClusterRepo } from '../../main/engine/catalog/cluster-repo';
import { FaceListing } from '../../main/engine/catalog/face-listing-repo';
import { FoldersRepo } from '../../main/engine/catalog/folders-repo';
import { PeopleRepo } from '../../main/engine/catalog/people-repo';
import { PhotosRepo } from '../../main/engine/catalog/photos-repo';

interface Ran {
  sql: string;
  args: unknown[];
}

/** The catalog, and every statement a repository runs on it with its arguments. */
function recording(): { db: Db; ran: Ran[] } {
  const db = openDatabase(':memory:');
  const ran: Ran[] = [];
  const wrapped = new Proxy(db, {
    get(target, key) {
      if (key !== 'prepare') return Reflect.get(target, key, target) as unknown;
      return (sql: string) => {
        const stmt = target.prepare(sql);
        return new Proxy(stmt, {
          get(s, k) {
            const v = Reflect.get(s, k, s) as unknown;
            if ((k === 'all' || k === 'get') && typeof v === 'function')
              return (...args: unknown[]) => {
                ran.push({ sql, args });
                return (v as (...a: unknown[]) => unknown).apply(s, args);
              };
            return typeof v === 'function' ? (v as () => unknown).bind(s) : v;
          },
        });
      };
    },
  });
  return { db: wrapped, ran };
}

/** The query plan of each statement run since `from`, one string per statement. */
function plans(db: Db, ran: Ran[], from = 0): string[] {
  return ran
    .slice(from)
    .map(({ sql, args }) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | '),
    );
}

function seed(db: Db): {
  folder: number;
  photo: (p: string, taken: number | null, mtime: number, status?: string) => number;
} {
  const folder = Number(
    db.prepare("INSERT INTO folders (path, added_at) VALUES ('/lib', 1)").run().lastInsertRowid,
  );
  const photo = (p: string, taken: number | null, mtime: number, status = 'done') =>
    Number(
      db
        .prepare(
          `INSERT INTO photos (folder_id, path, size, mtime_ms, taken_at, status, created_at)
           VALUES (?, ?, 1, ?, ?, ?, 1)`,
        )
        .run(folder, p, mtime, taken, status).lastInsertRowid,
    );
  return { folder, photo };
}

test("the grid's page is read in order from the newest-photos index, newest first by taken-at, else file time", () => {
  const { db, ran } = recording();
  const { photo } = seed(db);
  const a = photo('/lib/a.jpg', 300, 1);
  const b = photo('/lib/b.jpg', null, 200); // undated: placed by its file time
  const c = photo('/lib/c.jpg', 100, 999);
  photo('/lib/gone.jpg', 500, 1, 'missing');
  photo('/lib/bad.jpg', null, 600, 'failed');
  const photos = new PhotosRepo(db);
  const from = ran.length;
  const page = photos.page(0, 10);
  assert.deepEqual(
    page.items.map((p) => p.id),
    [a, b, c],
  );
  assert.equal(page.total, 3);
  const items = plans(db, ran, from).find((p) => p.includes('SUBQUERY'));
  assert.ok(items, 'the page query ran');
  assert.match(items, /SCAN p USING INDEX photos_newest/);
  assert.doesNotMatch(items, /TEMP B-TREE/, 'no sort of every photo');
  db.close();
});

test('the could-not-read and warning lists read only the photos that have one, by path', () => {
  const { db, ran } = recording();
  const { photo } = seed(db);
  for (let i = 0; i < 20; i++) photo(`/lib/ok-${i}.jpg`, i, i);
  const failed = photo('/lib/z-failed.jpg', null, 1, 'failed');
  const damaged = photo('/lib/a-damaged.jpg', 5, 5);
  db.prepare("UPDATE photos SET error = 'truncated' WHERE id IN (?, ?)").run(failed, damaged);
  db.prepare("UPDATE photos SET warning = 'empty sidecar' WHERE id = ?").run(damaged);
  const photos = new PhotosRepo(db);
  const from = ran.length;
  // A damaged photo is in the library (indexed with a warning), not among the files that could not be read.
  assert.deepEqual(photos.errors(), [{ path: '/lib/z-failed.jpg', error: 'truncated' }]);
  assert.deepEqual(photos.damaged(), [{ path: '/lib/a-damaged.jpg', detail: 'truncated' }]);
  assert.deepEqual(photos.warnings(), [{ path: '/lib/a-damaged.jpg', warning: 'empty sidecar' }]);
  const [errors, damagedPlan, warnings] = plans(db, ran, from);
  assert.match(errors!, /USING INDEX photos_error_path/);
  assert.match(damagedPlan!, /USING INDEX photos_error_path/);
  assert.match(warnings!, /USING INDEX photos_warning_path/);
  for (const p of [errors!, damagedPlan!, warnings!])
    assert.doesNotMatch(p, /TEMP B-TREE|photos_status|autoindex/);
  db.close();
});

test("a folder's photos are counted from an index alone", () => {
  const { db, ran } = recording();
  const { photo } = seed(db);
  photo('/lib/a.jpg', 1, 1);
  photo('/lib/b.jpg', 1, 1, 'missing');
  const from = ran.length;
  assert.equal(new FoldersRepo(db).list()[0]?.photos, 1);
  assert.match(plans(db, ran, from)[0]!, /COVERING INDEX photos_folder_status/);
  db.close();
});

test("people's face counts skip deleted faces without reading each assigned face's row", () => {
  const { db, ran } = recording();
  const { photo } = seed(db);
  const p = photo('/lib/a.jpg', 1, 1);
  const person = Number(
    db.prepare("INSERT INTO people (name, created_at) VALUES ('Ann', 1)").run().lastInsertRowid,
  );
  const face = db.prepare(
    `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
       quality_pose, embedding, model_id, deleted_at, created_at)
     VALUES (?, 0, 0, 10, 10, '[]', 1, 1, 10, 1, 0, x'00', 'm', ?, 1)`,
  );
  const assign = db.prepare(
    "INSERT INTO assignments (face_id, person_id, kind, source, created_at) VALUES (?, ?, ?, 'test', 1)",
  );
  for (const [kind, deleted] of [
    ['confirmed', null],
    ['confirmed', null],
    ['confirmed', 5],
    ['suggested', null],
    ['auto', 7],
  ] as const)
    assign.run(Number(face.run(p, deleted).lastInsertRowid), person, kind);
  const from = ran.length;
  assert.deepEqual(new PeopleRepo(db).counts().get(person), { confirmed: 2, suggested: 1, auto: 0 });
  const plan = plans(db, ran, from)[0]!;
  assert.match(plan, /faces_deleted/);
  assert.doesNotMatch(plan, /INTEGER PRIMARY KEY/, "no lookup of each face's row");
  db.close();
});

/** A person and a face maker (quality, deleted) for the cover and count tests. */
function personWithFaces(db: Db): {
  person: number;
  face: (kind: 'confirmed' | 'suggested' | 'auto', quality: number, deleted?: number | null) => number;
} {
  const p = seed(db).photo('/lib/a.jpg', 1, 1);
  const person = Number(
    db.prepare("INSERT INTO people (name, created_at) VALUES ('Ann', 1)").run().lastInsertRowid,
  );
  const face = db.prepare(
    `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur,
       quality_pose, embedding, model_id, deleted_at, created_at)
     VALUES (?, 0, 0, 10, 10, '[]', 1, ?, 10, 1, 0, x'00', 'm', ?, 1)`,
  );
  const assign = db.prepare(
    "INSERT INTO assignments (face_id, person_id, kind, source, created_at) VALUES (?, ?, ?, 'test', 1)",
  );
  return {
    person,
    face: (kind, quality, deleted = null) => {
      const id = Number(face.run(p, quality, deleted).lastInsertRowid);
      assign.run(id, person, kind);
      return id;
    },
  };
}

test("people's covers read each face's quality from the faces_state index, and autos only when no confirmed face is left", () => {
  const { db, ran } = recording();
  const { person, face } = personWithFaces(db);
  const repo = new PeopleRepo(db);
  face('auto', 0.99); // better than every confirmed face: a confirmed one still comes first
  const good = face('confirmed', 0.8);
  face('confirmed', 0.5);
  face('confirmed', 0.95, 3); // deleted
  face('suggested', 1);
  let from = ran.length;
  assert.equal(repo.list(false)[0]?.coverFaceId, good);
  const plan = plans(db, ran, from)[0]!;
  assert.match(plan, /SEARCH f USING COVERING INDEX faces_state/);
  assert.doesNotMatch(plan, /SEARCH f USING INTEGER PRIMARY KEY/, "no face's row (and its embedding) read");
  // Confirmed faces are looked for apart from the auto ones (one lookup per kind), so a person's
  // thousands of auto faces are read only when no confirmed face of theirs is left.
  assert.equal(plan.match(/assignments_person \(person_id=\? AND kind=\?\)/g)?.length, 2, plan);
  // The stored cover, while still theirs, comes first; no confirmed face left: the best auto one.
  const stored = face('auto', 0.1);
  repo.setCover(person, stored);
  assert.equal(repo.get(person)?.coverFaceId, stored);
  db.prepare("DELETE FROM assignments WHERE kind = 'confirmed' OR face_id = ?").run(stored);
  from = ran.length;
  assert.equal(repo.get(person)?.coverFaceId, good - 1, 'the best auto face');
  assert.match(plans(db, ran, from)[0]!, /SEARCH f USING COVERING INDEX faces_state/);
  db.close();
});

test("one person's face counts read that person's assignments only, and agree with everyone's counts", () => {
  const { db, ran } = recording();
  const { person, face } = personWithFaces(db);
  face('confirmed', 1);
  face('confirmed', 1, 4);
  face('auto', 1);
  face('suggested', 1);
  const repo = new PeopleRepo(db);
  const from = ran.length;
  assert.deepEqual(repo.countsOf(person), { confirmed: 1, suggested: 1, auto: 1 });
  assert.deepEqual(repo.countsOf(person), repo.counts().get(person));
  assert.deepEqual(repo.countsOf(person + 1), { confirmed: 0, suggested: 0, auto: 0 });
  const plan = plans(db, ran, from)[0]!;
  assert.match(plan, /SEARCH a USING COVERING INDEX assignments_person \(person_id=\?\)/);
  db.close();
});

test("a person's page reads their live faces and photos in one statement, from their assignments", () => {
  const { db, ran } = recording();
  const { person, face } = personWithFaces(db);
  const a = face('confirmed', 1);
  face('confirmed', 1, 9); // deleted: not listed
  const b = face('auto', 1);
  const c = face('suggested', 1);
  db.prepare('UPDATE assignments SET confidence = 0.4 WHERE face_id = ?').run(c);
  const from = ran.length;
  const faces = new FaceListing(db).ofPerson(person);
  assert.equal(ran.length - from, 1, 'one statement, not one per face');
  assert.deepEqual(
    faces.map((f) => [f.id, f.kind, f.confidence, f.photoPath]).sort(),
    [
      [a, 'confirmed', null, '/lib/a.jpg'],
      [b, 'auto', null, '/lib/a.jpg'],
      [c, 'suggested', 0.4, '/lib/a.jpg'],
    ].sort(),
  );
  assert.deepEqual(faces.find((f) => f.id === a)?.box, { x: 0, y: 0, w: 10, h: 10 });
  assert.match(plans(db, ran, from)[0]!, /SEARCH a USING INDEX assignments_person \(person_id=\?\)/);
  db.close();
});

test('the faces set apart are read from the rejections and splits, never by walking every face', () => {
  const { db, ran } = recording();
  const from = ran.length;
  assert.deepEqual(new ClusterRepo(db).setApart(2), []);
  const [plan] = plans(db, ran, from);
  assert.ok(plan, 'the query ran');
  assert.match(plan, /SEARCH f USING INDEX faces_cluster/);
  assert.doesNotMatch(plan, /SCAN (f|faces)\b/, 'no scan of every face');
  db.close();
});
