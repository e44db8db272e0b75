/**
 * A vision worker thread: runs the face pipeline (face-pipeline.ts) for requests from vision-pool.ts,
 * one at a time, so inference never runs on the thread that serves requests. Each worker owns its own
 * ONNX sessions (ORT intra-op threads from VISAGE_ORT_THREADS, 1 by default), so N workers use about
 * N cores. libvips is set to one thread per operation and no operation cache; note that these two
 * sharp settings are process-wide (libvips is shared by all threads), which suits an indexing process:
 * parallelism comes from the workers, and memory stays bounded.
 * Requests are answered in the order they came; the decode of a queued analysePhoto starts at once, so
 * it overlaps the inference of the one before ([Note: decode overlap] in vision-pool.ts).
 * The message types below are the whole protocol; the pool imports them as types only.
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import type { Box } from '../../api/common';
import { DecodeError, type DecodeFailure, type DecodeOptions } from './decode';
import {
  analyseCrop,
  analysePrepared,
  embedFromBox,
  preparePhoto,
  type AnalyseOptions,
  type PhotoAnalysis,
  type PreparedPhoto,
} from './face-pipeline';

/** Analysis options that can cross a thread boundary (no AbortSignal: cancel is a message). */
export type PipelineOptions = Omit<AnalyseOptions, 'signal'>;

export type VisionRequest =
  | { kind: 'analysePhoto'; file: string; options?: PipelineOptions }
  | { kind: 'analyseCrop'; file: string; options?: PipelineOptions }
  | { kind: 'embedFromBox'; file: string; box: Box; options?: DecodeOptions }
  /** Fault injection for tests: the worker dies with an uncaught exception, as a native bug would. */
  | { kind: 'crash' }
  /** Fault injection for tests: the worker stops answering (spins), as a decoder stuck on a file would. */
  | { kind: 'hang' };

export type ToWorker = { type: 'run'; id: number; request: VisionRequest } | { type: 'cancel'; id: number };

export interface WorkerError {
  name: 'DecodeError' | 'AbortError' | 'Error';
  message: string;
  reason?: DecodeFailure;
  file?: string;
}

export type FromWorker =
  { type: 'done'; id: number; result: PhotoAnalysis } | { type: 'failed'; id: number; error: WorkerError };

function describe(err: unknown): WorkerError {
  if (err instanceof DecodeError)
    return { name: 'DecodeError', message: err.message, reason: err.reason, file: err.file };
  if (err instanceof Error && err.name === 'AbortError') return { name: 'AbortError', message: err.message };
  return { name: 'Error', message: err instanceof Error ? err.message : String(err) };
}

/** A decode started ahead of its turn; its failure is reported when its turn comes. */
type Early = Promise<{ ok: PreparedPhoto } | { error: unknown }>;

function decodeEarly(request: VisionRequest): Early | null {
  if (request.kind !== 'analysePhoto') return null;
  return preparePhoto(request.file, request.options).then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );
}

async function execute(
  request: VisionRequest,
  signal: AbortSignal,
  early: Early | null,
): Promise<PhotoAnalysis> {
  switch (request.kind) {
    case 'analysePhoto': {
      signal.throwIfAborted();
      const prepared = early ? await early : { ok: await preparePhoto(request.file, request.options) };
      if ('error' in prepared) throw prepared.error;
      return analysePrepared(prepared.ok, { ...request.options, signal });
    }
    case 'analyseCrop':
      return analyseCrop(request.file, { ...request.options, signal });
    case 'embedFromBox':
      return embedFromBox(request.file, request.box, request.options);
    case 'hang':
      for (;;) {
        // never returns: the pool's request timeout must terminate this worker
      }
    case 'crash':
      setImmediate(() => {
        throw new Error('injected vision worker crash');
      });
      return new Promise<never>(() => undefined);
  }
}

function serve(port: NonNullable<typeof parentPort>): void {
  sharp.concurrency(1);
  sharp.cache(false);
  const running = new Map<number, AbortController>();
  let turn: Promise<unknown> = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    const ctl = new AbortController();
    running.set(msg.id, ctl);
    const early = decodeEarly(msg.request);
    turn = turn
      .then(() => execute(msg.request, ctl.signal, early))
      .then((result) => {
        const reply: FromWorker = { type: 'done', id: msg.id, result };
        port.postMessage(
          reply,
          result.faces.map((f) => f.embedding.buffer as ArrayBuffer),
        );
      })
      .catch((err: unknown) => {
        const reply: FromWorker = { type: 'failed', id: msg.id, error: describe(err) };
        port.postMessage(reply);
      })
      .finally(() => running.delete(msg.id));
  });
}

if (parentPort) serve(parentPort);
