/**
 * Rows for a list of ids, read through `IN (…)` lists of at most ID_CHUNK ids: a run may ask for more ids
 * than SQLite binds in one statement (32 766), and short lists keep each statement cheap to prepare.
 */
import type { Db } from './database';

const ID_CHUNK = 500;

/** The rows `sql(placeholders)` returns for `ids`, chunk by chunk in the given order; `sql` puts the placeholders inside its `IN (…)`. */
export function rowsById(db: Db, ids: readonly number[], sql: (placeholders: string) => string): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const part = ids.slice(i, i + ID_CHUNK);
    for (const r of db.prepare(sql(part.map(() => '?').join(','))).all(...part)) out.push(r);
  }
  return out;
}
