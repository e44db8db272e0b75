/**
 * Picks the TensorFlow.js backend the head trains on, best first: @tensorflow/tfjs-node-gpu (CUDA) →
 * @tensorflow/tfjs-node (native CPU) → WebAssembly → plain JavaScript. The two native packages are
 * optional dependencies that cannot install everywhere, so each is tried with a dynamic import and a
 * failure is kept as a plain-words reason; the user sees which backend ran and why the better ones did
 * not. Loaders are injectable so the fallback path is tested without the packages.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import path from 'node:path';

export const backendNames = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

/** Makes a backend available to tfjs-core and returns the name tfjs registered it under. */
export type BackendLoader = () => Promise<string>;

export interface ChosenBackend {
  name: BackendName;
  /** Why each better backend was skipped, in order tried. */
  skipped: { name: BackendName; reason: string }[];
}

/** Imports a package by a name TypeScript does not resolve at build time (it may not be installed). */
async function importOptional(pkg: string): Promise<void> {
  await import(/* @vite-ignore */ pkg);
}

/**
 * The WebAssembly backend fetches its .wasm binaries at run time. In Node it must be told the folder
 * they are in (setWasmPaths with a directory prefix ending in a separator); otherwise it tries a
 * relative URL and fails to initialise.
 */
async function loadWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dir + path.sep);
  return 'wasm';
}

export const defaultLoaders: Record<BackendName, BackendLoader> = {
  'node-gpu': async () => {
    await importOptional('@tensorflow/tfjs-node-gpu');
    return 'tensorflow';
  },
  node: async () => {
    await importOptional('@tensorflow/tfjs-node');
    return 'tensorflow';
  },
  wasm: loadWasm,
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    return 'cpu';
  },
};

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (package|module)|ERR_MODULE_NOT_FOUND/i.test(msg)) return 'package not installed';
  return msg.split('\n')[0]!.slice(0, 200);
}

/**
 * Activates the first backend that loads and initialises. `forced` tries only that one and throws with
 * the reason when it is unavailable (the user asked for it explicitly).
 */
export async function chooseBackend(
  forced?: BackendName,
  loaders: Record<BackendName, BackendLoader> = defaultLoaders,
): Promise<ChosenBackend> {
  const order: readonly BackendName[] = forced ? [forced] : backendNames;
  const skipped: ChosenBackend['skipped'] = [];
  for (const name of order) {
    try {
      const tfName = await loaders[name]();
      if (!(await tf.setBackend(tfName))) throw new Error(`backend ${tfName} failed to initialise`);
      await tf.ready();
      return { name, skipped };
    } catch (err) {
      skipped.push({ name, reason: reasonOf(err) });
    }
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(
    forced ? `Backend ${forced} is not available (${why}).` : `No TensorFlow.js backend loaded (${why}).`,
  );
}

/** One line for the user: "wasm (node-gpu: package not installed; node: package not installed)". */
export function describeBackend(b: ChosenBackend): string {
  return b.skipped.length
    ? `${b.name} (${b.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`
    : b.name;
}
