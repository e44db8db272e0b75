/**
 * Opens the catalog: SQLite in WAL mode with foreign keys, migrated by numbered SQL files
 * (migrations/NNN-name.sql). Each migration runs in a transaction; user_version records the last one.
 * Several processes may open one catalog at once: see [Note: many writers] in busy.ts.
 * The default location is the app's user-data folder; --db / VISAGE_HOME override it.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSY_TIMEOUT_MS, immediateTransactions } from './busy';

export type Db = Database.Database;

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Per-user data folder: VISAGE_HOME, else the platform's app-data location. */
export function visageHome(): string {
  if (process.env.VISAGE_HOME) return process.env.VISAGE_HOME;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? home, 'Visage');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Visage');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'visage');
}

export function defaultDbPath(): string {
  return path.join(visageHome(), 'catalog.db');
}

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  const list = readdirSync(dir)
    .filter((f) => /^\d{3}-.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(path.join(dir, f), 'utf8') }));
  // Two files with one number would leave the second unapplied on catalogs already past it: refuse.
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.version === list[i - 1]!.version) {
      throw new Error(
        `Migrations ${list[i - 1]!.name} and ${list[i]!.name} share version ${list[i]!.version}`,
      );
    }
  }
  return list;
}

export function migrate(db: Db, migrations = listMigrations()): number {
  for (const m of migrations) {
    // The version is read inside the write transaction: a second process opening a fresh catalog at the
    // same moment waits for the first one's migration and then sees it applied.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

export function openDatabase(file = defaultDbPath()): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  immediateTransactions(db);
  migrate(db);
  return db;
}
