/**
 * Shared pieces of the fault-injection suite: a small real library (LFW, one folder per person), the real
 * `visage` command as a child process (so it can be killed with SIGKILL), and read-only checks of what a
 * catalog holds afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { face, repoRoot } from '../support/paths';
import { tempDir } from '../support/temp';

export const PEOPLE = ['Aaron_Peirsol', 'Abdoulaye_Wade', 'Abel_Pacheco', 'Adam_Sandler'];
export const PER_PERSON = 2;
export const PHOTOS = PEOPLE.length * PER_PERSON;

/** A temporary folder with `lib/<person>/<photo>.jpg` copies of a few LFW photos, and a catalog path. */
export function smallLibrary(t: TestContext): { dir: string; lib: string; db: string } {
  const dir = tempDir(t, 'visage-fault-');
  const lib = path.join(dir, 'lib');
  for (const person of PEOPLE) {
    const src = face('lfw_dev', person);
    mkdirSync(path.join(lib, person), { recursive: true });
    for (const f of readdirSync(src).sort().slice(0, PER_PERSON)) {
      copyFileSync(path.join(src, f), path.join(lib, person, f));
    }
  }
  return { dir, lib, db: path.join(dir, 'catalog.db') };
}

export interface Run {
  child: ChildProcess;
  /** What it printed on stdout so far. */
  output: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

/** Starts `visage --db DB ...args` as a child process. */
export function visage(db: string, ...args: string[]): Run {
  const child = spawn(process.execPath, [path.join(repoRoot, 'main/cli/bin.mjs'), '--db', db, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VISAGE_HOME: path.dirname(db) },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal, out, err });
      });
    },
  );
  return { child, done, output: () => out };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` on a read-only connection (null while the catalog does not exist yet). */
export function peek<T>(db: string, fn: (d: Database.Database) => T): T | null {
  let d: Database.Database;
  try {
    d = new Database(db, { readonly: true, fileMustExist: true, timeout: 10_000 });
  } catch {
    return null;
  }
  try {
    return fn(d);
  } catch {
    return null;
  } finally {
    d.close();
  }
}

export interface CatalogFacts {
  photos: Record<string, number>;
  failed: { path: string; error: string }[];
  faces: number;
  /** Photos without any live face (every LFW photo of the set has one). */
  faceless: number;
  /** Two live detector faces with the same box on one photo: a photo stored twice. */
  duplicated: number;
  confirmed: number;
  rejections: number;
  people: number;
  integrity: string;
}

export function facts(db: string): CatalogFacts {
  const f = peek(db, (d) => {
    const photos: Record<string, number> = { pending: 0, done: 0, failed: 0, missing: 0 };
    for (const r of d.prepare('SELECT status, COUNT(*) AS n FROM photos GROUP BY status').all() as {
      status: string;
      n: number;
    }[])
      photos[r.status] = r.n;
    const n = (sql: string) => (d.prepare(sql).get() as { n: number }).n;
    return {
      photos,
      failed: d
        .prepare("SELECT path, error FROM photos WHERE status = 'failed'")
        .all() as CatalogFacts['failed'],
      faces: n('SELECT COUNT(*) AS n FROM faces WHERE deleted_at IS NULL'),
      faceless: n(
        `SELECT COUNT(*) AS n FROM photos p WHERE p.status = 'done'
         AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = p.id AND f.deleted_at IS NULL)`,
      ),
      duplicated: n(
        `SELECT COUNT(*) AS n FROM (SELECT photo_id FROM faces WHERE deleted_at IS NULL AND source = 'detector'
         GROUP BY photo_id, round(x), round(y), round(w), round(h) HAVING COUNT(*) > 1)`,
      ),
      confirmed: n("SELECT COUNT(*) AS n FROM assignments WHERE kind = 'confirmed'"),
      rejections: n('SELECT COUNT(*) AS n FROM rejections'),
      people: n('SELECT COUNT(*) AS n FROM people WHERE merged_into IS NULL'),
      integrity: d.pragma('integrity_check', { simple: true }) as string,
    };
  });
  if (!f) throw new Error(`cannot read the catalog ${db}`);
  return f;
}

/** Every photo of the small library indexed exactly once, nothing failed, the catalog intact. */
export function assertAllIndexed(
  assert: typeof import('node:assert/strict'),
  f: CatalogFacts,
  context: string,
): void {
  assert.deepEqual(f.failed, [], `${context}: nothing failed`);
  assert.deepEqual(f.photos, { pending: 0, done: PHOTOS, failed: 0, missing: 0 }, context);
  assert.equal(f.faceless, 0, `${context}: every photo has its faces`);
  assert.equal(f.duplicated, 0, `${context}: no photo stored twice`);
  assert.equal(f.integrity, 'ok', context);
}

/** The address `visage serve` printed (token included); fails if it exits or prints none in time. */
export async function serverUrl(server: Run, timeoutMs = 120_000): Promise<URL> {
  const state = { exited: false };
  void server.done.then(() => (state.exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !state.exited) {
    const printed = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(server.output());
    if (printed) return new URL(printed[1]!);
    await sleep(100);
  }
  throw new Error(`visage serve printed no address: ${server.output()}`);
}
