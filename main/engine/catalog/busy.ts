/**
 * Several processes may use one catalog at once (the app, `visage` commands, web mode). [Note: many
 * writers] SQLite allows one writer at a time; the others must wait, never fail:
 * - every connection has a long busy timeout, so a statement waits for the lock instead of failing;
 * - every write transaction starts with BEGIN IMMEDIATE (see `immediateTransactions`): a deferred
 *   transaction that read first and writes later cannot wait for the lock in WAL mode (SQLite answers
 *   SQLITE_BUSY at once, because its snapshot is stale), so the lock is taken up front;
 * - what still comes back busy (a lock held longer than the timeout) is retried by `retryBusy`, and a job
 *   treats it as "try again later", never as the item's own failure.
 */
import type Database from 'better-sqlite3';

/** How long one statement waits for another process's write to finish. */
export const BUSY_TIMEOUT_MS = 30_000;

/** SQLITE_BUSY / SQLITE_LOCKED and their extended codes: another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  return err instanceof Error && /database (table )?is locked|database is busy/i.test(err.message);
}

/** Failure messages a past run stored that were the catalog's lock, not the photo: worth another try. */
export const TRANSIENT_FAILURE_PATTERNS = [
  '%database is locked%',
  '%database table is locked%',
  '%SQLITE_BUSY%',
];

/** Runs `fn` again (after a short, growing pause) while it fails with a busy catalog. */
export async function retryBusy<T>(fn: () => T | Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusy(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 50 * 2 ** i + Math.random() * 100));
    }
  }
}

/**
 * Makes `db.transaction(fn)` start with BEGIN IMMEDIATE by default (nested calls still use savepoints),
 * so every transaction in the engine takes the write lock up front and waits for it with the busy timeout.
 */
export function immediateTransactions(db: Database.Database): void {
  const make = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = make(fn);
    const run = (...args: unknown[]) => tx.immediate(...args);
    return Object.assign(run, {
      default: run,
      deferred: (...args: unknown[]) => tx.deferred(...args),
      immediate: run,
      exclusive: (...args: unknown[]) => tx.exclusive(...args),
    });
  }) as typeof db.transaction;
}
