/**
 * Runs a full re-group on a worker thread (cluster-worker.ts), like training (head/worker-client.ts):
 * the serving thread stays free, reads and edits go on while it runs, progress arrives through a
 * callback, and an AbortSignal cancels it for real — by terminating the thread while it is still
 * computing (nothing written yet), or by a flag the worker checks between write chunks ([Note: cancelling
 * a re-group]).
 */
import { spawnWorker } from '../jobs/spawn-worker';
import { GroupingCancelled, type ClusterRunSummary } from './cluster-service';
import {
  CANCELLED,
  COMPUTING,
  STOP_WRITING,
  type ClusterWorkerData,
  type ClusterWorkerEvent,
} from './cluster-worker-protocol';
import type { PeopleSettings } from './settings';

const entry = new URL(`./cluster-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export interface FullJobCallbacks {
  onProgress?: (phase: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export function fullRegroupInWorker(
  dbPath: string,
  settings: PeopleSettings,
  cb: FullJobCallbacks = {},
): Promise<ClusterRunSummary> {
  return new Promise<ClusterRunSummary>((resolve, reject) => {
    if (cb.signal?.aborted) {
      reject(new GroupingCancelled());
      return;
    }
    const cancel = new SharedArrayBuffer(4);
    const workerData: ClusterWorkerData = { dbPath, settings, cancel };
    const worker = spawnWorker(entry, { workerData });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      cb.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    // [Note: cancelling a re-group]
    const onAbort = () => {
      const state = new Int32Array(cancel);
      if (Atomics.compareExchange(state, 0, COMPUTING, CANCELLED) === COMPUTING)
        finish(() => {
          reject(new GroupingCancelled());
        });
      else Atomics.store(state, 0, STOP_WRITING);
    };
    cb.signal?.addEventListener('abort', onAbort);
    worker.on('message', (e: ClusterWorkerEvent) => {
      if (e.type === 'progress') {
        cb.onProgress?.(e.phase, e.done, e.total);
      } else if (e.type === 'done')
        finish(() => {
          resolve(e.summary);
        });
      else
        finish(() => {
          reject(e.cancelled ? new GroupingCancelled() : new Error(e.message));
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
