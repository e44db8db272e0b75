/**
 * One job on a fresh worker thread, settled exactly once: the reply, the worker's own failure, an error or
 * an unexpected exit ends it, and the thread is always terminated at the end, so a crashed or cancelled
 * run leaves nothing behind. An AbortSignal cancels: by asking the worker (it stops at its next check and
 * answers with a failure) or, where the worker writes nothing, by ending the thread at once.
 */
import { spawnWorker } from './spawn-worker';

export interface WorkerJob<E, T> {
  /** The worker module (see spawnWorker). */
  entry: URL;
  workerData?: object;
  /** Posted once the worker is started: the job's request. */
  request?: unknown;
  /** Buffers of the request moved to the worker rather than copied (the caller no longer reads them). */
  transfer?: ArrayBuffer[];
  signal?: AbortSignal;
  /** Posted on abort; without it abort ends the thread at once and the job fails with `cancelled()`. */
  cancelMessage?: unknown;
  cancelled: () => Error;
  /** Reads one message: `{ value }` settles the job, an Error fails it, undefined waits for more. */
  read: (e: E) => { value: T } | Error | undefined;
  /** Names the worker in the unexpected-exit error ("The training worker stopped unexpectedly"). */
  name: string;
}

export function runWorkerJob<E, T>(job: WorkerJob<E, T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (job.signal?.aborted) {
      reject(job.cancelled());
      return;
    }
    const worker = spawnWorker(job.entry, job.workerData ? { workerData: job.workerData } : {});
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      job.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => {
      if (job.cancelMessage !== undefined) worker.postMessage(job.cancelMessage);
      else
        finish(() => {
          reject(job.cancelled());
        });
    };
    job.signal?.addEventListener('abort', onAbort);
    worker.on('message', (e: E) => {
      const out = job.read(e);
      if (out instanceof Error)
        finish(() => {
          reject(out);
        });
      else if (out)
        finish(() => {
          resolve(out.value);
        });
    });
    worker.on('error', (err) => {
      finish(() => {
        reject(err);
      });
    });
    worker.on('exit', (code) => {
      finish(() => {
        reject(new Error(`The ${job.name} worker stopped unexpectedly (exit ${code}).`));
      });
    });
    if (job.request !== undefined) worker.postMessage(job.request, job.transfer ?? []);
  });
}
