/** Messages and the cancel state shared by the re-group worker (cluster-worker.ts) and its job (cluster-job.ts). */
import type { ClusterRunSummary } from './cluster-service';
import type { PeopleSettings } from './settings';

export interface ClusterWorkerData {
  dbPath: string;
  settings: PeopleSettings;
  /** One Int32 state: [Note: cancelling a re-group]. */
  cancel: SharedArrayBuffer;
}

/**
 * [Note: cancelling a re-group] One shared Int32 decides who stops the run, so a thread is never killed
 * inside a write transaction: COMPUTING → the job may set CANCELLED and terminate the thread at once;
 * the worker swaps COMPUTING → WRITING before its first write (it fails if CANCELLED got there first);
 * while WRITING the job sets STOP_WRITING and the worker stops after its current chunk.
 */
export const COMPUTING = 0;
export const CANCELLED = 1;
export const WRITING = 2;
export const STOP_WRITING = 3;

export type ClusterWorkerEvent =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'done'; summary: ClusterRunSummary }
  | { type: 'failed'; message: string; cancelled: boolean };
