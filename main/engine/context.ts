/**
 * What every engine service may be handed: the open catalog, the data folder and the event sink.
 * Services take the repositories they use, not this whole object; only composition code (handlers.ts)
 * sees it.
 */
import type { EventName, EventPayload } from '../api/contract';
import type { Db } from './catalog/database';
import type { JobRegistry } from './jobs/job-registry';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EngineContext {
  db: Db;
  /** Per-user data folder (thumbnail cache, logs); the catalog file lives here unless --db says otherwise. */
  home: string;
  emit: Emit;
  /** Where long-running jobs register for status, cancel and pause. */
  jobs: JobRegistry;
}
