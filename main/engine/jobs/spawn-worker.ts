/**
 * Starts a worker thread from a module URL. TypeScript modules (development, CLI, tests) go through
 * worker-boot.mjs, which registers tsx inside the worker; built JavaScript starts directly.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const boot = new URL('./worker-boot.mjs', import.meta.url);

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const data: unknown = options.workerData ?? {};
  if (typeof data !== 'object' || data === null) throw new Error('workerData must be an object');
  return new Worker(boot, { ...options, workerData: { ...data, visageEntry: entry.href } });
}
