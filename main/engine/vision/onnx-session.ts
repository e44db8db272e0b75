/**
 * One cached ONNX Runtime session per model, created lazily, with the execution provider chosen at run
 * time: DirectML on Windows, CoreML on macOS, CUDA where its files were installed, else CPU. The chosen
 * provider is reported so the user can see what runs their models.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelById, modelFor, verifiedModelPath, type ModelEntry, type ModelRole } from './model-manifest';

/** Every provider Visage may run its models with (Settings words each one for the user). */
export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/**
 * CUDA files are only present when onnxruntime-node's install step ran with ONNXRUNTIME_NODE_INSTALL=cuda12
 * (see README); probing for them avoids ORT logging a load failure on every start.
 */
function cudaInstalled(): boolean {
  try {
    const pkg = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const lib =
      process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch, lib));
  } catch {
    return false;
  }
}

/** Providers to try, best first, for this platform; VISAGE_EP forces one. */
export function providerPreference(platform = process.platform): ExecutionProvider[] {
  const forced = process.env.VISAGE_EP as ExecutionProvider | undefined;
  if (forced) return [forced];
  const cuda: ExecutionProvider[] = cudaInstalled() ? ['cuda'] : [];
  if (platform === 'win32') return [...cuda, 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return [...cuda, 'cpu'];
}

export interface LoadedModel {
  entry: ModelEntry;
  session: ort.InferenceSession;
  provider: ExecutionProvider;
}

const cache = new Map<string, Promise<LoadedModel>>();
let lastProvider: ExecutionProvider | null = null;

/** The provider the last model session of this thread was created with (null before any). */
export function chosenProvider(): ExecutionProvider | null {
  return lastProvider;
}

async function create(entry: ModelEntry): Promise<LoadedModel> {
  const file = await verifiedModelPath(entry);
  const threads = Number(process.env.VISAGE_ORT_THREADS ?? 1);
  let lastError: unknown;
  for (const provider of providerPreference()) {
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: [provider],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      lastProvider = provider;
      return { entry, session, provider };
    } catch (err) {
      lastError = err; // provider not available here (e.g. no CUDA files): fall through to the next
    }
  }
  throw new Error(`Could not load model ${entry.id}: ${String(lastError)}`);
}

/** The cached session for a role's model (first manifest entry for that role). */
export function loadModel(role: ModelRole): Promise<LoadedModel> {
  return loadEntry(modelFor(role));
}

/** The cached session for a manifest entry by id (a reference model, in tests and benches). */
export function loadModelById(id: string): Promise<LoadedModel> {
  return loadEntry(modelById(id));
}

function loadEntry(entry: ModelEntry): Promise<LoadedModel> {
  let p = cache.get(entry.id);
  if (!p) {
    p = create(entry);
    p.catch(() => cache.delete(entry.id)); // a failed load may be retried after the user fixes it
    cache.set(entry.id, p);
  }
  return p;
}

/** An output's data and dims. */
export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

/**
 * Runs a model on one NCHW float tensor and returns the named outputs. `dims` is required when the
 * manifest's input shape has named (run-time) dims, and must match its fixed ones.
 */
export async function runModelTensors(
  model: LoadedModel,
  data: Float32Array | Uint8Array,
  dims?: readonly number[],
): Promise<Record<string, OutputTensor>> {
  const type = model.entry.input.type ?? 'float32';
  if ((type === 'uint8') !== data instanceof Uint8Array)
    throw new Error(`Model ${model.entry.id} takes ${type} input`);
  const spec = model.entry.input.shape;
  const shape = dims ?? spec.map((d) => (typeof d === 'number' ? d : NaN));
  if (
    shape.length !== spec.length ||
    shape.some((d, i) => !(d > 0) || (typeof spec[i] === 'number' && spec[i] !== d))
  )
    throw new Error(`Model ${model.entry.id} takes input [${spec.join(', ')}], got [${shape.join(', ')}]`);
  const input =
    data instanceof Uint8Array
      ? new ort.Tensor('uint8', data, shape)
      : new ort.Tensor('float32', data, shape);
  const out = await model.session.run({ [model.entry.input.name]: input });
  const result: Record<string, OutputTensor> = {};
  for (const [key, name] of Object.entries(model.entry.outputs)) {
    const t = out[name];
    if (!t) throw new Error(`Model ${model.entry.id} returned no output ${name}`);
    result[key] = { data: t.data as Float32Array, dims: t.dims };
  }
  return result;
}

/** runModelTensors for a fixed-shape model, outputs' data only. */
export async function runModel(
  model: LoadedModel,
  data: Float32Array,
): Promise<Record<string, Float32Array>> {
  const out = await runModelTensors(model, data);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data]));
}
