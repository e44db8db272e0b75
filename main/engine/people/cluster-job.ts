/**
 * Computes a full re-group on a worker thread (cluster-worker.ts), like training (head/worker-client.ts):
 * the serving thread stays free while faces are read and clustered, progress arrives through a
 * callback, and an AbortSignal cancels for real by ending the thread (it writes nothing). The plan it
 * returns is written by the caller in short chunks ([Note: grouping writes in chunks]).
 */
import { spawnWorker } from '../jobs/spawn-worker';
import { GroupingCancelled, type GroupingPlan } from './cluster-service';
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
  return new Promise<GroupingPlan>((resolve, reject) => {
    if (cb.signal?.aborted) {
      reject(new GroupingCancelled());
      return;
    }
    const workerData: ClusterWorkerData = { dbPath, settings };
    const worker = spawnWorker(entry, { workerData });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      cb.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => {
      finish(() => {
        reject(new GroupingCancelled());
      });
    };
    cb.signal?.addEventListener('abort', onAbort);
    worker.on('message', (e: ClusterWorkerEvent) => {
      if (e.type === 'progress') cb.onProgress?.(e.phase, e.done, e.total);
      else if (e.type === 'planned')
        finish(() => {
          resolve(e.plan);
        });
      else
        finish(() => {
          reject(new Error(e.message));
        });
    });
    worker.on('error', (err) => {
      finish(() => {
        reject(err);
      });
    });
    worker.on('exit', (code) => {
      finish(() => {
        reject(new Error(`The grouping worker stopped unexpectedly (exit ${code}).`));
      });
    });
  });
}
