/**
 * A pool of vision worker threads (vision-worker.ts). Requests queue here and go to the first idle
 * worker; `analyseAll` keeps a bounded number in flight so a scan of 100 000 photos never queues them
 * all. Cancel is an AbortSignal: a queued request is dropped, a running one is told to stop at its next
 * stage and its promise rejects at once. A worker that dies (uncaught error, native crash that spares
 * the process) fails its request with VisionWorkerCrash and is replaced on demand; nothing hangs.
 * [Note: decode overlap] Once every worker is busy, each gets up to `prefetch` more requests, which it
 * starts decoding (libvips, on libuv's threads) while ONNX Runtime runs the current photo on the worker's
 * own thread; the rest of each request runs in order, so results are those of one photo at a time. A
 * worker that dies fails only the request it was running: its prefetched ones go back to the queue once.
 */
import type { Worker } from 'node:worker_threads';
import type { Box } from '../../api/common';
import { DecodeError, type DecodeOptions } from './decode';
import type { PhotoAnalysis } from './face-pipeline';
import { spawnWorker } from '../jobs/spawn-worker';
import { visionPlan } from './vision-plan';
import type { FromWorker, PipelineOptions, ToWorker, VisionRequest, WorkerError } from './vision-worker';

export interface VisionPoolOptions {
  /** Worker threads; default from the machine ([Note: vision threads]). */
  size?: number;
  /** ONNX Runtime intra-op threads per worker; default from the machine and the size. */
  ortThreads?: number;
  /** A request with no answer after this long is treated as a crash (worker replaced); default 5 min. */
  requestTimeoutMs?: number;
  /** Requests a busy worker may hold beyond the one it runs ([Note: decode overlap]); default 1. */
  prefetch?: number;
}

/** A worker died while running this request. */
export class VisionWorkerCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisionWorkerCrash';
  }
}

interface Job {
  id: number;
  request: VisionRequest;
  resolve: (r: PhotoAnalysis) => void;
  reject: (e: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  settled: boolean;
  /** Sent back to the queue because the worker holding it (prefetched) died running another request. */
  requeued: boolean;
}

interface Slot {
  worker: Worker;
  /** The request it runs first, then those it prefetched, in the order the worker answers them. */
  jobs: Job[];
  lastError: Error | null;
  /** Kills a worker that neither answers nor crashes (a pathological file hanging a decoder). */
  timer: NodeJS.Timeout | null;
  /** Has answered once: its first request also pays for loading tsx, ORT and the models. */
  warm: boolean;
}

/** Extra time a fresh worker gets for start-up on top of the request timeout. */
const BOOT_ALLOWANCE_MS = 60_000;

const workerUrl = new URL(
  `./vision-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

function abortError(): Error {
  return new DOMException('The vision request was cancelled', 'AbortError');
}

function toError(e: WorkerError): Error {
  switch (e.name) {
    case 'DecodeError':
      return new DecodeError(e.reason ?? 'corrupt', e.file ?? '', e.message);
    case 'AbortError':
      return abortError();
    case 'Error':
      return new Error(e.message);
  }
}

function label(r: VisionRequest): string {
  return r.kind === 'crash' || r.kind === 'hang' ? r.kind : `${r.kind} ${r.file}`;
}

export class VisionPool {
  readonly size: number;
  /** Requests the pool takes at once without queueing: size × (1 + prefetch). */
  readonly capacity: number;
  private readonly prefetch: number;
  readonly ortThreads: number;
  private readonly requestTimeoutMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(opts: VisionPoolOptions = {}) {
    const plan = visionPlan(opts.size);
    this.size = plan.workers;
    this.ortThreads = Math.max(1, opts.ortThreads ?? plan.ortThreads);
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 5 * 60_000;
    this.prefetch = Math.max(0, opts.prefetch ?? 1);
    this.capacity = this.size * (1 + this.prefetch);
  }

  analysePhoto(file: string, options?: PipelineOptions, signal?: AbortSignal): Promise<PhotoAnalysis> {
    return this.run({ kind: 'analysePhoto', file, options }, signal);
  }

  analyseCrop(file: string, options?: PipelineOptions, signal?: AbortSignal): Promise<PhotoAnalysis> {
    return this.run({ kind: 'analyseCrop', file, options }, signal);
  }

  embedFromBox(
    file: string,
    box: Box,
    options?: DecodeOptions,
    signal?: AbortSignal,
  ): Promise<PhotoAnalysis> {
    return this.run({ kind: 'embedFromBox', file, box, options }, signal);
  }

  /**
   * Analyses many photos with at most `inFlight` (default capacity) requests outstanding, yielding
   * each outcome as it completes (not in input order). Stops early when the signal aborts.
   */
  async *analyseAll(
    files: Iterable<string>,
    options?: PipelineOptions,
    signal?: AbortSignal,
    inFlight = this.capacity,
  ): AsyncGenerator<{ file: string; result?: PhotoAnalysis; error?: Error }> {
    type Outcome = { file: string; result?: PhotoAnalysis; error?: Error };
    const pending = new Map<number, Promise<{ key: number; out: Outcome }>>();
    let key = 0;
    const it = files[Symbol.iterator]();
    for (;;) {
      while (pending.size < inFlight && !signal?.aborted) {
        const next = it.next();
        if (next.done) break;
        const file = next.value;
        const k = key++;
        const p = this.analysePhoto(file, options, signal).then(
          (result) => ({ key: k, out: { file, result } }),
          (error: unknown) => ({
            key: k,
            out: { file, error: error instanceof Error ? error : new Error(String(error)) },
          }),
        );
        pending.set(k, p);
      }
      if (pending.size === 0) return;
      const { key: done, out } = await Promise.race(pending.values());
      pending.delete(done);
      yield out;
    }
  }

  /** Queues a request; rejects with AbortError, DecodeError, VisionWorkerCrash or Error. */
  run(request: VisionRequest, signal?: AbortSignal): Promise<PhotoAnalysis> {
    if (this.disposed) return Promise.reject(new Error('The vision pool has been disposed'));
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<PhotoAnalysis>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        request,
        resolve,
        reject,
        signal,
        onAbort: () => undefined,
        settled: false,
        requeued: false,
      };
      job.onAbort = () => {
        this.cancel(job);
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Fails queued requests, stops every worker and waits for them to exit. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error('The vision pool has been disposed'));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      for (const job of s.jobs) this.settle(job, new Error('The vision pool has been disposed'));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private settle(job: Job, outcome: PhotoAnalysis | Error): void {
    if (job.settled) return;
    job.settled = true;
    job.signal?.removeEventListener('abort', job.onAbort);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.jobs.includes(job));
    if (slot) slot.worker.postMessage({ type: 'cancel', id: job.id } satisfies ToWorker);
    this.settle(job, abortError());
  }

  /** Hands queued requests out: idle workers first (spawning up to size), then prefetch slots. */
  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.jobs.length === 0);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      slot ??= this.slots
        .filter((s) => s.jobs.length <= this.prefetch)
        .sort((a, b) => a.jobs.length - b.jobs.length)[0];
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.jobs.push(job);
      if (slot.jobs.length === 1) this.startTimer(slot);
      slot.worker.postMessage({ type: 'run', id: job.id, request: job.request } satisfies ToWorker);
    }
  }

  /** The running request's deadline (a prefetched one's starts when it becomes the running one). */
  private startTimer(slot: Slot): void {
    const limit = this.requestTimeoutMs + (slot.warm ? 0 : BOOT_ALLOWANCE_MS);
    const worker = slot.worker;
    slot.timer = setTimeout(() => {
      slot.lastError = new Error(`no answer after ${Math.round(limit / 1000)} s`);
      void worker.terminate(); // 'exit' then fails the request and replaces the worker
    }, limit);
  }

  private spawn(): Slot {
    const worker = spawnWorker(workerUrl, {
      env: { ...process.env, VISAGE_ORT_THREADS: String(this.ortThreads) },
    });
    const slot: Slot = { worker, jobs: [], lastError: null, timer: null, warm: false };
    worker.on('message', (msg: FromWorker) => {
      const i = slot.jobs.findIndex((j) => j.id === msg.id);
      if (i < 0) return;
      const [job] = slot.jobs.splice(i, 1);
      slot.warm = true;
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      if (slot.jobs.length > 0) this.startTimer(slot);
      this.settle(job!, msg.type === 'done' ? msg.result : toError(msg.error));
      this.pump();
    });
    worker.on('error', (err) => (slot.lastError = err));
    worker.on('exit', (code) => {
      this.onExit(slot, code);
    });
    this.slots.push(slot);
    return slot;
  }

  private onExit(slot: Slot, code: number): void {
    const i = this.slots.indexOf(slot);
    if (slot.timer) clearTimeout(slot.timer);
    if (i < 0) return; // disposed
    this.slots.splice(i, 1);
    const [running, ...prefetched] = slot.jobs.filter((j) => !j.settled);
    const crash = (job: Job) => {
      const why = slot.lastError ? `: ${slot.lastError.message}` : '';
      this.settle(
        job,
        new VisionWorkerCrash(`Vision worker crashed (exit code ${code}) during ${label(job.request)}${why}`),
      );
    };
    if (running) crash(running);
    // Prefetched requests only waited behind the one that died: they run again elsewhere, once.
    const again = prefetched.filter((j) => !j.requeued);
    for (const j of prefetched) if (j.requeued) crash(j);
    for (const j of again) j.requeued = true;
    this.queue.unshift(...again);
    this.pump(); // a replacement is spawned if work is waiting
  }
}
