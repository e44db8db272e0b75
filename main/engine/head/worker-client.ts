/**
 * Runs one head job on a fresh worker thread (train-worker.ts) and returns its result: progress and the
 * chosen backend arrive through callbacks, an AbortSignal cancels between epochs, and the worker is
 * always terminated at the end (jobs/worker-job.ts), so a crashed or cancelled run leaves nothing behind.
 */
import { runWorkerJob } from '../jobs/worker-job';
import type { ChosenBackend } from './train/backends';
import type { Recognised } from './recognise/recognition-input';
import type { EvalReport, HeadProgress, TrainOutcome, WorkerEvent, WorkerRequest } from './worker-protocol';

export interface JobCallbacks {
  onBackend?: (b: ChosenBackend) => void;
  onProgress?: (p: HeadProgress) => void;
  signal?: AbortSignal;
}

export class HeadJobCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'HeadJobCancelled';
  }
}

// Next to this module: the .ts source in development, train-worker.js beside the bundle when built.
const entry = new URL(`./train-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

function run<T>(
  req: Exclude<WorkerRequest, { type: 'cancel' }>,
  cb: JobCallbacks,
  pick: (e: WorkerEvent) => T | undefined,
): Promise<T> {
  return runWorkerJob<WorkerEvent, T>({
    entry,
    request: req,
    transfer: transferred(req),
    signal: cb.signal,
    cancelMessage: { type: 'cancel' } satisfies WorkerRequest,
    cancelled: () => new HeadJobCancelled(),
    read: (e) => {
      if (e.type === 'backend') cb.onBackend?.(e.backend);
      else if (e.type === 'progress') cb.onProgress?.(e.progress);
      else if (e.type === 'failed') return e.cancelled ? new HeadJobCancelled() : new Error(e.message);
      else {
        const value = pick(e);
        if (value !== undefined) return { value };
      }
      return undefined;
    },
    name: 'training',
  });
}

/**
 * An in-process recognise input's matrices move to the worker instead of being copied: structured-cloning
 * 40 MB (20 000 faces) took 1.2 s of the serving thread, moving it 0.2 ms. The caller builds them for this
 * request only and never reads them again. (A catalog file's input is built in the worker.)
 */
function transferred(req: Exclude<WorkerRequest, { type: 'cancel' }>): ArrayBuffer[] {
  if (req.type !== 'recognise' || !('input' in req.job)) return [];
  const { library } = req.job.input;
  const buffers = [
    library.embeddings.data.buffer,
    library.confirmedEmbeddings.data.buffer,
    library.ids.buffer,
    library.photoIds.buffer,
    library.clusters.buffer,
  ];
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}

export function trainInWorker(
  req: Extract<WorkerRequest, { type: 'train' }>,
  cb: JobCallbacks = {},
): Promise<TrainOutcome> {
  return run(req, cb, (e) => (e.type === 'trained' ? e.outcome : undefined));
}

export function recogniseInWorker(
  req: Extract<WorkerRequest, { type: 'recognise' }>,
  cb: JobCallbacks = {},
): Promise<Recognised> {
  return run(req, cb, (e) => (e.type === 'recognised' ? e.result : undefined));
}

export function evalInWorker(
  req: Extract<WorkerRequest, { type: 'eval' }>,
  cb: JobCallbacks = {},
): Promise<EvalReport> {
  return run(req, cb, (e) => (e.type === 'evaluated' ? e.report : undefined));
}
