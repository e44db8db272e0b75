/**
 * The full re-group's worker thread (cluster-job.ts starts it): opens its own connection to the catalog
 * (WAL: the serving thread keeps reading and writing meanwhile), runs ClusterService.full() and reports
 * progress. Cancel is a shared state ([Note: cancelling a re-group]), checked between write chunks ([Note:
 * grouping writes in chunks]); before the writing starts the job terminates the thread, which has
 * written nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AssignmentsRepo } from '../catalog/assignments-repo';
import { ClusterRepo } from '../catalog/cluster-repo';
import { openDatabase } from '../catalog/database';
import { ClusterService, GroupingCancelled } from './cluster-service';
import {
  CANCELLED,
  COMPUTING,
  STOP_WRITING,
  WRITING,
  type ClusterWorkerData,
  type ClusterWorkerEvent,
} from './cluster-worker-protocol';

function main(port: NonNullable<typeof parentPort>, data: ClusterWorkerData): void {
  const flag = new Int32Array(data.cancel);
  const post = (e: ClusterWorkerEvent) => {
    port.postMessage(e);
  };
  const db = openDatabase(data.dbPath);
  try {
    const service = new ClusterService({
      db,
      clusters: new ClusterRepo(db),
      assignments: new AssignmentsRepo(db),
      settings: () => data.settings,
    });
    const summary = service.full({
      progress: (phase, done, total) => {
        post({ type: 'progress', phase, done, total });
      },
      cancelled: () => {
        const state = Atomics.compareExchange(flag, 0, COMPUTING, WRITING);
        return state === CANCELLED || state === STOP_WRITING;
      },
    });
    post({ type: 'done', summary });
  } catch (err) {
    post({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
      cancelled: err instanceof GroupingCancelled,
    });
  } finally {
    db.close();
  }
}

if (parentPort) main(parentPort, workerData as ClusterWorkerData);
