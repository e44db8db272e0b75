/** The recognition head: training on the user's labelled people, versions, recognition, evaluation. */
import { z } from 'zod';
import { empty, idSchema } from './common';
import { request } from './define';

/** Margin losses, plus triplet (semi-hard mining) and center loss (softmax + λ·centre distance). */
export const lossKindSchema = z.enum([
  'softmax',
  'triplet',
  'center',
  'sphereface',
  'cosface',
  'arcface',
  'combined',
  'subcenter',
]);
export const backendNameSchema = z.enum(['node-gpu', 'node', 'wasm', 'cpu']);

const validationSchema = z.object({
  /** Held-out labelled faces given the right name (fraction). */
  top1: z.number(),
  /** Chance a rightly named held-out face outscores a hidden person's face (fraction). */
  open: z.number(),
  /** d′ between rightly named faces' scores and strangers' best scores (ties of `open` are broken by it). */
  separation: z.number(),
  known: z.number().int(),
  unknown: z.number().int(),
});

export const headSchema = z.object({
  id: idSchema,
  createdAt: z.number(),
  loss: z.string(),
  /** TensorFlow.js backend that trained it, e.g. "wasm". */
  backend: z.string(),
  /** Why better backends were not used, one entry each. */
  backendNotes: z.array(z.string()),
  settings: z.record(z.string(), z.unknown()),
  /** Data snapshot: counts of what it was trained on. */
  data: z.record(z.string(), z.number()),
  /** The head's validation metrics, and the nearest-centroid baseline's on the same episodes. */
  metrics: validationSchema,
  baseline: validationSchema,
  /** Whether the guard let it be used, and why, in plain words. */
  accepted: z.boolean(),
  verdict: z.string(),
  /** Auto-assign only above this score (calibrated for the target precision). */
  threshold: z.number(),
  targetPrecision: z.number(),
  active: z.boolean(),
  trainMs: z.number(),
});
export type HeadDto = z.infer<typeof headSchema>;

export const recogniseSummarySchema = z.object({
  /** "head:ID" or "centroid" (no head active). */
  model: z.string(),
  faces: z.number().int(),
  suggested: z.number().int(),
  auto: z.number().int(),
  cleared: z.number().int(),
  ms: z.number(),
});

export const trainParamsSchema = z.object({
  loss: lossKindSchema.default('arcface'),
  backend: backendNameSchema.optional(),
  /** Logit scale and margins (for triplet, m is the distance margin α); defaults per loss. */
  s: z.number().positive().max(128).optional(),
  m: z.number().min(0).max(4).optional(),
  m1: z.number().min(1).max(4).optional(),
  m2: z.number().min(0).max(1.5).optional(),
  m3: z.number().min(0).max(1).optional(),
  subCentres: z.number().int().min(1).max(10).optional(),
  /** Rank of the learned residual transform (0: class weights only). */
  rank: z.number().int().min(0).max(256).optional(),
  /**
   * What faces are scored against: person centroids in the head's space, the learned class weights,
   * both blended, or 'auto' (the guard picks centroid or blend on validation).
   */
  prototypes: z.enum(['auto', 'centroid', 'weights', 'blend']).default('auto'),
  epochs: z.number().int().min(1).max(2000).optional(),
  /** Precision the auto-assign threshold is calibrated for. */
  targetPrecision: z.number().min(0.5).max(0.9999).default(0.99),
  episodes: z.number().int().min(1).max(10).default(4),
  seed: z.number().int().default(1),
  /** Recognise unassigned faces with the resulting model straight away. */
  apply: z.boolean().default(true),
});

const precisionCountSchema = z.object({ count: z.number().int(), precision: z.number().nullable() });

/** What the user would see with a model, with the shipped confidence levels (engine/head/eval/operating-point.ts). */
export const operatingPointSchema = z.object({
  auto: precisionCountSchema,
  sure: precisionCountSchema,
  suggested: precisionCountSchema,
  /** Named people's other faces given their right name. */
  coverage: z.number(),
  /** Never-named people's faces given any name. */
  strangersNamed: z.number(),
  namedFaces: z.number().int(),
  strangerFaces: z.number().int(),
});

export const methodResultSchema = z.object({
  name: z.string(),
  top1: z.number(),
  dir_far1: z.number(),
  tar_far1e3: z.number(),
  train_ms: z.number(),
  /** Heads: optimizer steps to converge (the final run's); null for baselines. */
  steps: z.number().int().nullable(),
  /** Heads: rank of the trained transform (triplet and center always train one); null for baselines. */
  rank: z.number().int().nullable(),
  /** Triplet heads: triplets among the labelled faces, and semi-hard ones mined per training step. */
  triplets: z.object({ possible: z.number(), minedPerStep: z.number() }).nullable(),
  /** For heads: the guard's decision from labelled faces, and the prototypes it picked. */
  guard: z.object({ activate: z.boolean(), reason: z.string(), prototypes: z.string() }).nullable(),
  /** The product's operating point (the baseline and the app's head). */
  operating: operatingPointSchema.optional(),
});

export const evalResultSchema = z.object({
  set: z.string(),
  shots: z.number().int(),
  seed: z.number().int(),
  methods: z.array(methodResultSchema),
  active: z.string(),
  counts: z.object({
    people: z.number().int(),
    labelled: z.number().int(),
    probes: z.number().int(),
    strangers: z.number().int(),
    strangerFaces: z.number().int(),
  }),
});

export const headRequests = {
  /**
   * Trains a head on the confirmed faces (off the request thread), validates it against the
   * nearest-centroid baseline, stores it, activates it only if the guard accepts it, and (by default)
   * recognises unassigned faces with whichever model is active. Progress: `head.progress`; cancel:
   * `jobs.cancel {job: 'train'}`.
   */
  'head.train': request(
    trainParamsSchema,
    z.object({ head: headSchema, applied: recogniseSummarySchema.nullable() }),
  ),
  /** Every trained head, newest first. */
  'head.list': request(empty, z.array(headSchema)),
  /** Makes a head the active one; a head the guard refused needs force. */
  'head.activate': request(z.object({ id: idSchema, force: z.boolean().default(false) }), headSchema),
  /** Returns to the head active before the current one, or to the baseline when there is none. */
  'head.rollback': request(empty, z.object({ active: headSchema.nullable() })),
  /** Recognises unassigned faces with the active model: suggestions, and auto-assignments above its threshold. */
  'head.recognise': request(empty, recogniseSummarySchema),
  /**
   * Runs the evaluation protocol on a folder-per-person set (ROOT/<person>/<images>): `shots` labelled
   * faces per person for half the people, the rest as never-labelled strangers; reports every method.
   */
  'head.eval': request(
    z.object({
      root: z.string().min(1),
      shots: z.number().int().min(1).max(50).default(5),
      seed: z.number().int().default(1),
      /** Only people with at least this many images. */
      minImages: z.number().int().min(1).default(1),
      losses: z.array(lossKindSchema).min(1).optional(),
      backend: backendNameSchema.optional(),
      episodes: z.number().int().min(1).max(10).default(4),
    }),
    z.object({
      result: evalResultSchema,
      backend: z.string(),
      embedding: z.object({
        faces: z.number().int(),
        people: z.number().int(),
        missing: z.number().int(),
        duplicates: z.number().int(),
        dropped: z.number().int(),
        cached: z.number().int(),
        ms: z.number(),
      }),
    }),
  ),
} as const;

export const headProgressSchema = z.object({
  phase: z.enum(['validation', 'final', 'eval']),
  /** Validation episode (or eval step) being run, 0-based, and how many there are. */
  step: z.number().int(),
  steps: z.number().int(),
  epoch: z.number().int(),
  epochs: z.number().int(),
  loss: z.number().nullable(),
  valLoss: z.number().nullable(),
  valTop1: z.number().nullable(),
  elapsedMs: z.number(),
  etaMs: z.number().nullable(),
  message: z.string().nullable(),
  backend: z.string().nullable(),
});
export type HeadProgressDto = z.infer<typeof headProgressSchema>;

export const headEvents = {
  /** Training/evaluation progress: epoch, loss, validation metrics, ETA (a few per second at most). */
  'head.progress': headProgressSchema,
} as const;
