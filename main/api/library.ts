/** Library: folders, scanning/indexing, photos, faces, status. */
import { z } from 'zod';
import { boxSchema, empty, idSchema, pointSchema, settingSchema } from './common';
import { request } from './define';

export const folderSchema = z.object({
  id: idSchema,
  path: z.string(),
  /** Photos the Library shows (found and readable): the number its header counts. */
  photos: z.number().int(),
  /** Files found that could not be read (the Library lists them with their reasons). */
  unreadable: z.number().int(),
  lastScanAt: z.number().nullable(),
});
export type FolderDto = z.infer<typeof folderSchema>;

export const photoStatusSchema = z.enum(['pending', 'done', 'failed', 'missing']);

/** Why a file could not be read, in a word the UI turns into a sentence (`err.decode.<reason>`). */
export const failureReasonSchema = z.enum([
  'missing',
  'empty',
  'unreadable',
  'unsupported',
  'truncated',
  'corrupt',
  'too-large',
  'other',
]);

export const photoSchema = z.object({
  id: idSchema,
  path: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  /** When the photo was taken (EXIF); null when the photo carries no date. */
  takenAt: z.number().nullable(),
  /** The file's modification time: where an undated photo is placed in the timeline. */
  fileTime: z.number(),
  status: photoStatusSchema,
  error: z.string().nullable(),
  faces: z.number().int(),
});
export type PhotoDto = z.infer<typeof photoSchema>;

export const assignmentKindSchema = z.enum(['confirmed', 'suggested', 'auto']);

export const faceSchema = z.object({
  id: idSchema,
  photoId: idSchema,
  photoPath: z.string(),
  box: boxSchema,
  score: z.number(),
  landmarks: z.array(pointSchema),
  quality: z.object({ overall: z.number(), size: z.number(), blur: z.number(), pose: z.number() }),
  person: z.object({ id: idSchema, name: z.string() }).nullable(),
  assignment: assignmentKindSchema.nullable(),
  confidence: z.number().nullable(),
  cluster: z.number().int().nullable(),
});
export type FaceDto = z.infer<typeof faceSchema>;

export const indexSummarySchema = z.object({
  scan: z.object({
    added: z.number().int(),
    changed: z.number().int(),
    moved: z.number().int(),
    missing: z.number().int(),
    restored: z.number().int(),
    unchanged: z.number().int(),
    /** Files found but not readable, recorded as failed photos. */
    failed: z.number().int(),
    problems: z.array(z.object({ path: z.string(), error: z.string() })),
  }),
  indexed: z.number().int(),
  failed: z.number().int(),
  state: z.enum(['started', 'done', 'cancelled', 'failed']),
});
export type IndexSummary = z.infer<typeof indexSummarySchema>;

export const statusSchema = z.object({
  folders: z.number().int(),
  photos: z.object({
    total: z.number().int(),
    pending: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    missing: z.number().int(),
  }),
  faces: z.number().int(),
  people: z.number().int(),
  /** Files that could not be read: the detail (for logs) and its plain reason (for the UI). */
  errors: z.array(z.object({ path: z.string(), error: z.string(), reason: failureReasonSchema })),
  /**
   * Damaged photos: indexed and shown, though the decoder could read only part of the image (e.g.
   * "Corrupt JPEG data: premature end of data segment"); `detail` is the decoder's words (for logs).
   */
  damaged: z.array(z.object({ path: z.string(), detail: z.string() })),
  /** Photos indexed with a problem that cost only part of them (e.g. an unreadable XMP sidecar). */
  warnings: z.array(z.object({ path: z.string(), warning: z.string() })),
  /** Files in the folders that are not photos and were left out: how many, and the first few by path. */
  skipped: z.object({ total: z.number().int(), paths: z.array(z.string()) }),
  executionProvider: z.string().nullable(),
  /** The model in use for each role. */
  models: z.array(z.object({ id: z.string(), role: z.string() })),
  /** How indexing uses this machine: vision worker threads × ONNX Runtime threads each, of `cores`. */
  vision: z.object({ workers: z.number().int(), ortThreads: z.number().int(), cores: z.number().int() }),
});
export type StatusDto = z.infer<typeof statusSchema>;

export const libraryRequests = {
  /**
   * Adds a folder to the library (it must exist and be a readable directory). Indexing starts in the
   * background unless index=false (the CLI adds several folders, then runs one `library.rescan`).
   */
  'library.addFolder': request(
    z.object({
      path: z.string().min(1),
      index: z.boolean().default(true),
      /**
       * The user chose this folder themselves (typed it and pressed Add, or picked it in the dialog). The
       * app and web mode must say so: their requests are refused without it, and logged with it.
       */
      confirmed: z.boolean().default(false),
    }),
    folderSchema,
  ),
  /**
   * Removes a folder and its photos and faces from the catalog (files on disk are untouched). Destructive
   * for the labels on those faces, so it refuses unless confirm=true and reports how many labels go.
   */
  'library.removeFolder': request(
    z.object({ id: idSchema, confirm: z.boolean().default(false) }),
    z.object({ removed: z.boolean(), photos: z.number().int(), confirmedFaces: z.number().int() }),
  ),
  /** Lists the library's folders. */
  'library.folders': request(empty, z.array(folderSchema)),
  /**
   * Re-scans every folder (new, changed, moved, deleted files) and indexes what is pending. With
   * wait=false (the app) it returns at once and reports through `jobs.progress`; with wait=true (CLI,
   * tests) it returns the summary when indexing has finished or was cancelled.
   */
  'library.rescan': request(z.object({ wait: z.boolean().default(false) }), indexSummarySchema),
  /** Catalog counts, failures with reasons, models and execution provider. */
  'library.status': request(empty, statusSchema),
  /**
   * Photos, newest first (date taken, else the file's time), paged. Files that could not be read are not
   * photos to show: they are listed with their reasons in `library.status`.
   */
  'library.photos': request(
    z.object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    z.object({ total: z.number().int(), items: z.array(photoSchema) }),
  ),
  /**
   * Every live face in the library, paged, in id order (for export and scripts). With embeddings=true each
   * face carries its 512-d L2-normalised embedding.
   */
  'library.faces': request(
    z.object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10000).default(1000),
      embeddings: z.boolean().default(false),
    }),
    z.object({
      total: z.number().int(),
      items: z.array(faceSchema.extend({ embedding: z.array(z.number()).optional() })),
    }),
  ),
  /** What indexing looks for (smallest face, detector confidence), with plain-language descriptions. */
  'library.settings': request(empty, z.array(settingSchema)),
  /** Changes an indexing setting (null restores its default); applies to photos indexed from then on. */
  'library.setSetting': request(
    z.object({ key: z.string(), value: z.number().nullable() }),
    z.array(settingSchema),
  ),
  /** Faces of one photo. */
  'library.photoFaces': request(z.object({ photoId: idSchema }), z.array(faceSchema)),
} as const;
