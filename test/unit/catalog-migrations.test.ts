import { STATE_SELECT } from '../../main/engine/catalog/cluster-repo';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { listMigrations, migrate, openDatabase } from '../../main/engine/catalog/database';
import { tempDir } from '../support/temp';

test('migrations apply in order, once, and record the version', (t) => {
  const file = path.join(tempDir(t), 'c.db');
  const db = openDatabase(file);
  const latest = listMigrations().at(-1)!.version;
  assert.equal(db.pragma('user_version', { simple: true }), latest);
  db.prepare("INSERT INTO people (name, created_at) VALUES ('Ann', 1)").run();
  db.close();
  const again = openDatabase(file);
  t.after(() => again.close());
  assert.equal(migrate(again), latest, 're-opening migrates nothing');
  assert.equal((again.prepare('SELECT name FROM people').get() as { name: string }).name, 'Ann');
});

test('two migrations with one number are refused; a failing migration rolls back whole', (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, '001-a.sql'), 'CREATE TABLE a (x);');
  writeFileSync(path.join(dir, '002-b.sql'), 'CREATE TABLE b (x);');
  writeFileSync(path.join(dir, '002-c.sql'), 'CREATE TABLE c (x);');
  assert.throws(() => listMigrations(dir), /share version 2/);
  const db = new Database(':memory:');
  const broken = [
    { version: 1, name: '001-a.sql', sql: 'CREATE TABLE a (x);' },
    { version: 2, name: '002-bad.sql', sql: 'CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);' },
  ];
  assert.throws(() => migrate(db, broken), /no such table: nowhere/);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  const b = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'b'").get() as { n: number };
  assert.equal(b.n, 0, 'the half-applied migration left nothing behind');
});

test('counting live faces reads the live-faces index, not the faces table and its embeddings', () => {
  const db = openDatabase(':memory:');
  const plan = db
    .prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) AS n FROM faces WHERE deleted_at IS NULL')
    .all() as { detail: string }[];
  // Either partial index of live faces answers it without the rows (faces_state is the larger one).
  assert.match(plan.map((p) => p.detail).join('\n'), /USING (COVERING )?INDEX faces_(live|state)/);
  db.close();
});

test("reading each face's grouping state reads the covering faces_state index, not the rows and their embeddings", () => {
  const db = openDatabase(':memory:');
  const plan = (
    db.prepare(`EXPLAIN QUERY PLAN ${STATE_SELECT} ORDER BY f.id`).all() as { detail: string }[]
  ).map((p) => p.detail);
  assert.match(plan.join('\n'), /SCAN f USING COVERING INDEX faces_state/);
  db.close();
});
