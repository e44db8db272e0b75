/**
 * The full re-group's worker thread (cluster-job.ts starts it): opens its own connection to the catalog
 * (WAL: the serving thread keeps reading and writing meanwhile), reads every face, runs the clustering
 * and posts back the plan — it never writes, so cancelling is simply ending the thread. The serving
 * thread writes the plan in short chunks ([Note: grouping writes in chunks]).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AssignmentsRepo } from '../catalog/assignments-repo';
import { ClusterRepo } from '../catalog/cluster-repo';
import { openDatabase } from '../catalog/database';
import { ClusterService } from './cluster-service';
import type { ClusterWorkerData, ClusterWorkerEvent } from './cluster-worker-protocol';

function main(port: NonNullable<typeof parentPort>, data: ClusterWorkerData): void {
  const post = (e: ClusterWorkerEvent, transfer: ArrayBuffer[] = []) => {
    port.postMessage(e, transfer);
  };
  const db = openDatabase(data.dbPath);
  try {
    const service = new ClusterService({
      db,
      clusters: new ClusterRepo(db),
      assignments: new AssignmentsRepo(db),
      settings: () => data.settings,
    });
    const plan = service.planFull({
      progress: (phase, done, total) => {
        post({ type: 'progress', phase, done, total });
      },
    });
    const given = plan.summaries;
    const summaries: ArrayBufferView[] = given ? [given.means, given.shaping, given.person] : [];
    if (given?.index) summaries.push(given.index.centroidCodes, given.index.home);
    post(
      { type: 'planned', plan },
      [plan.groupOf, ...summaries].map((a) => a.buffer as ArrayBuffer),
    );
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  } finally {
    db.close();
  }
}

if (parentPort) main(parentPort, workerData as ClusterWorkerData);
