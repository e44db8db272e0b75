/**
 * What every engine service may be handed: the open catalog, the data folder and the event sink.
 * Services take the repositories they use, not this whole object; only composition code (handlers.ts)
 * sees it.
 */
import type { Emit } from '../api/contract';
import type { Db } from './catalog/database';
import type { JobRegistry } from './jobs/job-registry';

/** Something with resources to release when the engine closes (worker pools, watchers). */
export interface Disposable {
  dispose(): Promise<void> | void;
}

export interface EngineContext {
  db: Db;
  /** Per-user data folder (thumbnail cache, logs); the catalog file lives here unless --db says otherwise. */
  home: string;
  emit: Emit;
  /** Where long-running jobs register for status, cancel and pause. */
  jobs: JobRegistry;
}
