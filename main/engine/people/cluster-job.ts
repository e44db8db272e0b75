/**
 * Computes a full re-group on a worker thread (cluster-worker.ts), like training (head/worker-client.ts):
 * the serving thread stays free while faces are read and clustered, progress arrives through a
 * callback, and an AbortSignal cancels for real by ending the thread (it writes nothing). The plan it
 * returns is written by the caller in short chunks ([Note: grouping writes in chunks]).
 */
import { runWorkerJob } from '../jobs/worker-job';
import { GroupingCancelled } from './cluster-service';
import type { GroupingPlan } from './grouping-plan';
import type { ClusterWorkerData, ClusterWorkerEvent } from './cluster-worker-protocol';
import type { PeopleSettings } from './settings';

const entry = new URL(`./cluster-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export interface FullJobCallbacks {
  onProgress?: (phase: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export function planFullInWorker(
  dbPath: string,
  settings: PeopleSettings,
  cb: FullJobCallbacks = {},
): Promise<GroupingPlan> {
  const workerData: ClusterWorkerData = { dbPath, settings };
  return runWorkerJob<ClusterWorkerEvent, GroupingPlan>({
    entry,
    workerData,
    signal: cb.signal,
    cancelled: () => new GroupingCancelled(),
    read: (e) => {
      if (e.type === 'progress') cb.onProgress?.(e.phase, e.done, e.total);
      else if (e.type === 'planned') return { value: e.plan };
      else return new Error(e.message);
      return undefined;
    },
    name: 'grouping',
  });
}
