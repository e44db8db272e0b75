/**
 * How indexing uses the machine: how many vision worker threads, and how many ONNX Runtime threads
 * each. One decision, read by the pool that spawns the workers and by `visage status` that shows it.
 * [Note: vision threads] Parallelism comes from workers, one photo each: a photo's stages (decode,
 * detector tiles, one face after another) are many small runs that scale poorly across threads, while
 * whole photos are independent. Workers take every core but one, so the serving thread and the OS keep
 * one — except on one or two cores, where that would leave half the machine idle while the serving
 * thread mostly waits. ORT threads then share out what is left (1 with the default pool). Each worker
 * also decodes its next photo while ONNX Runtime runs the current one ([Note: decode overlap]), which fills
 * the gaps a worker would otherwise leave (file reads, the catalog write between photos).
 * ONNX Runtime session options were measured on one core (embedder and an 896×704 detector tile): the
 * defaults with 'all' graph optimisation were best; no memory arena made detection 1.7× slower, no
 * spinning and no memory pattern changed nothing.
 * Batching faces through the embedder was measured and not taken: 12.3 ms of CPU per face at batch 1,
 * 4, 8 and 16 alike (one core, ONNX Runtime CPU), so faces are embedded one at a time.
 * VISAGE_WORKERS and VISAGE_ORT_THREADS override.
 */
import os from 'node:os';

export interface VisionPlan {
  workers: number;
  ortThreads: number;
  cores: number;
}

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not "${v}"`);
  return n;
}

/** Default worker count for a machine with `cores` logical cores. */
export function defaultPoolSize(cores = os.availableParallelism()): number {
  return cores <= 2 ? cores : cores - 1;
}

/** The plan for this machine, or for an explicit worker count. */
export function visionPlan(workers?: number, cores = os.availableParallelism()): VisionPlan {
  const w = Math.max(1, workers ?? envInt('VISAGE_WORKERS') ?? defaultPoolSize(cores));
  const ortThreads = envInt('VISAGE_ORT_THREADS') ?? Math.max(1, Math.floor(defaultPoolSize(cores) / w));
  return { workers: w, ortThreads, cores };
}
