/** People: grouping, naming and corrections, the review queue, undo, label import/export and XMP. */
import { z } from 'zod';
import { boxSchema, empty, idSchema, messageSchema, photoSizeSchema, settingSchema } from './common';
import { request } from './define';

/** A person by id (number) or by name (string, case-insensitive). */
export const personRefSchema = z.union([idSchema, z.string().min(1)]);

export const personSchema = z.object({
  id: idSchema,
  name: z.string(),
  hidden: z.boolean(),
  /** The person's faces: those the user confirmed plus those Visage named without asking (`auto`). */
  faces: z.number().int(),
  /** Of `faces`, those Visage named without asking (kind 'auto': calibrated chance ≥ 99 %). */
  auto: z.number().int(),
  /** Faces suggested for review (kind 'suggested': a question, not yet the person's). */
  suggested: z.number().int(),
  coverFaceId: idSchema.nullable(),
});
export type PersonDto = z.infer<typeof personSchema>;

export const personFaceSchema = z.object({
  id: idSchema,
  photoId: idSchema,
  photoPath: z.string(),
  box: boxSchema,
  kind: z.enum(['confirmed', 'suggested', 'auto']),
  confidence: z.number().nullable(),
  /** Named without asking, or suggested at the "sure" level: only these may be confirmed in bulk. */
  sure: z.boolean(),
});

export const groupSchema = z.object({
  /** The unnamed group's id (faces' `cluster` in `library.faces`). */
  id: z.number().int(),
  size: z.number().int(),
  faceIds: z.array(idSchema),
});

export const suggestionSchema = z.object({
  /** The face shown; for a group suggestion, its most confident face. */
  faceId: idSchema,
  /** Every face the question is about: one, or all faces of an unnamed group that look like the person. */
  faceIds: z.array(idSchema).min(1),
  /** The unnamed group a group suggestion speaks for. */
  group: z.number().int().nullable(),
  photoId: idSchema,
  photoPath: z.string(),
  photoSize: photoSizeSchema,
  box: boxSchema,
  person: z.object({ id: idSchema, name: z.string() }),
  confidence: z.number(),
  /** Similarity to the suggested person minus that to the next most similar person. */
  margin: z.number(),
  /**
   * 'sure' (every face at least `confidenceLevels.sure`) come first, most confident first, and only they
   * may be confirmed in bulk; then 'review', least certain first.
   */
  tier: z.enum(['sure', 'review']),
  source: z.string(),
});

/** An edit's outcome: `summary` in English (CLI), `message` for the UI to word ([Note: worded messages]). */
export const editResultSchema = z.object({
  summary: z.string(),
  message: messageSchema,
  /** The edit's entry in the undo log, for `people.undo`'s `expect` (absent when the edit logged nothing). */
  undoId: idSchema.optional(),
});

export const clusterSummarySchema = z.object({
  mode: z.enum(['full', 'incremental']),
  faces: z.number().int(),
  placed: z.number().int(),
  groups: z.number().int(),
  suggested: z.number().int(),
  ms: z.number(),
  /** Faces an edit changed while a full re-group ran: the incremental run after it places them. */
  skipped: z.number().int(),
});

/**
 * The labels file (`visage export-labels`). Faces are identified across catalogs by their photo's
 * content hash (sha256) and their box in oriented-image pixels; the path is informative. Names,
 * confirmations, rejections, hidden people, "not a face" deletions, hand-drawn faces and splits.
 */
export const labelsFileSchema = z.object({
  format: z.literal('visage-labels'),
  version: z.literal(1),
  people: z.array(z.object({ name: z.string().min(1), hidden: z.boolean() })),
  faces: z.array(
    z.object({
      photo: z.object({
        hash: z.string().nullable(),
        path: z.string(),
        width: z.number().nullable(),
        height: z.number().nullable(),
      }),
      box: boxSchema,
      source: z.enum(['detector', 'manual', 'xmp']),
      person: z.string().nullable(),
      rejected: z.array(z.string()),
      deleted: z.boolean(),
    }),
  ),
  /** User splits of unnamed groups: indices into `faces` of each side. */
  splits: z.array(z.object({ a: z.array(z.number().int().min(0)), b: z.array(z.number().int().min(0)) })),
});
export type LabelsFile = z.infer<typeof labelsFileSchema>;

export const importReportSchema = z.object({
  people: z.number().int(),
  confirmed: z.number().int(),
  rejected: z.number().int(),
  deleted: z.number().int(),
  created: z.number().int(),
  splits: z.number().int(),
  unchanged: z.number().int(),
  /** Faces whose photo is not in the library or that match no face there. */
  unmatched: z.array(z.object({ path: z.string(), reason: z.string(), say: messageSchema })),
  /** Labels that disagree with a confirmation already in this catalog (the catalog's is kept). */
  conflicts: z.array(z.object({ path: z.string(), reason: z.string(), say: messageSchema })),
});

export const xmpReportSchema = z.object({
  photos: z.number().int(),
  written: z.array(z.string()),
  unchanged: z.number().int(),
  errors: z.array(z.object({ path: z.string(), error: z.string(), say: messageSchema })),
});

export const xmpImportSchema = z.object({
  photos: z.number().int(),
  regions: z.number().int(),
  confirmed: z.number().int(),
  unmatched: z.number().int(),
  conflicts: z.number().int(),
  /** Regions not used (too small, outside the image, in conflict) and unreadable sidecars, by name. */
  problems: z.array(
    z.object({ path: z.string(), name: z.string().nullable(), reason: z.string(), say: messageSchema }),
  ),
});

export const peopleRequests = {
  /** Named people with face counts, by name. Hidden people only with includeHidden. */
  'people.list': request(z.object({ includeHidden: z.boolean().default(false) }), z.array(personSchema)),
  /** One person and their confirmed and suggested faces. */
  'people.get': request(
    z.object({ person: personRefSchema }),
    z.object({
      person: personSchema,
      faces: z.array(personFaceSchema),
      /**
       * The chance, from the last recognition run, that the person's confirmed faces are of one person
       * (low: they look like different people, and the name is offered for little until they agree);
       * null when not measured (one confirmed face, or no run since).
       */
      agreement: z.number().min(0).max(1).nullable(),
    }),
  ),
  /** Unnamed groups with at least minSize faces (default: the minGroupSize setting), largest first. */
  'people.groups': request(z.object({ minSize: z.number().int().min(1).optional() }), z.array(groupSchema)),
  /**
   * Faces the user set apart (marked "not this person", or split off a person or a group) that no one has
   * named since and that are in a group too small for `people.groups`: each such group, whole, newest
   * first. People lists them (they are in no other list) until they are named or join a listed group.
   */
  'people.setApart': request(empty, z.array(groupSchema)),
  /** Names faces, or every face of an unnamed group, as a person (created when the name is new). */
  'people.name': request(
    z
      .object({
        faceIds: z.array(idSchema).optional(),
        group: z.number().int().optional(),
        person: personRefSchema,
      })
      .refine(
        (p) => (p.faceIds?.length ?? 0) > 0 !== (p.group !== undefined),
        'Give either faceIds or group',
      ),
    editResultSchema.extend({ person: z.object({ id: idSchema, name: z.string() }) }),
  ),
  /**
   * Renames a person (refused when another person has the name: merge instead). The reply names the person
   * as renamed: a rename changes nothing else, so a view can show it without reading the person again.
   */
  'people.rename': request(
    z.object({ person: personRefSchema, name: z.string().min(1) }),
    editResultSchema.extend({ person: z.object({ id: idSchema, name: z.string() }) }),
  ),
  /**
   * Merges person `from` into `into` (undoable). `name`: what the kept person is called afterwards, for a
   * rename to another person's name that became a merge (the person with more faces is kept, under the
   * name the user typed).
   */
  'people.merge': request(
    z.object({ from: personRefSchema, into: personRefSchema, name: z.string().min(1).optional() }),
    editResultSchema,
  ),
  /**
   * Splits faces off their unnamed group (kept apart from then on) or off their person; with a name they
   * go to that person.
   */
  'people.split': request(
    z.object({ faceIds: z.array(idSchema).min(1), name: z.string().min(1).optional() }),
    editResultSchema.extend({ group: z.number().int().nullable() }),
  ),
  /**
   * "Not this person": persistent; the face never returns to that person. A face that was theirs becomes
   * an unnamed group of its own (`group`), as a face split off them does; a suggested one is grouped again.
   */
  'people.reject': request(
    z
      .object({
        faceId: idSchema.optional(),
        /** Several faces at once (a group question answered "no"): one edit, one undo. */
        faceIds: z.array(idSchema).min(1).optional(),
        person: personRefSchema,
      })
      .refine((p) => (p.faceId !== undefined) !== (p.faceIds !== undefined), 'Give either faceId or faceIds'),
    editResultSchema.extend({ group: z.number().int().nullable() }),
  ),
  /** Hides or shows a person. */
  'people.hide': request(
    z.object({ person: personRefSchema, hidden: z.boolean().default(true) }),
    editResultSchema,
  ),
  /** "Not a face": removes a detection (undoable). */
  'people.deleteFace': request(z.object({ faceId: idSchema }), editResultSchema),
  /** Adds a face the detector missed from a box drawn on the photo (oriented pixels); optionally names it. */
  'people.addFace': request(
    z.object({ photoId: idSchema, box: boxSchema, name: z.string().min(1).optional() }),
    editResultSchema.extend({ faceId: idSchema }),
  ),
  /** The review queue ("Is this NAME?"), in the order that makes each answer count most. */
  'people.suggestions': request(
    z.object({ limit: z.number().int().min(1).optional(), person: personRefSchema.optional() }),
    z.array(suggestionSchema),
  ),
  /** Confirms the suggestions of these faces (bulk "yes"). */
  'people.confirm': request(
    z.object({ faceIds: z.array(idSchema).min(1) }),
    editResultSchema.extend({ confirmed: z.array(idSchema), skipped: z.array(idSchema) }),
  ),
  /** Groups faces without a person: incremental, or from scratch with full=true (names are never touched). */
  'people.cluster': request(z.object({ full: z.boolean().default(false) }), clusterSummarySchema),
  /**
   * Undoes the latest edit not yet undone (also after a restart). `expect`: the edit's `undoId`, for an
   * Undo that names its edit (a notice): refused ('conflict') when another edit is the latest by now.
   */
  'people.undo': request(
    z.object({ expect: idSchema.optional() }),
    z.object({
      undone: z.object({ op: z.string(), summary: z.string(), message: messageSchema.nullable() }).nullable(),
    }),
  ),
  /** Recent edits, newest first. */
  'people.history': request(
    z.object({ limit: z.number().int().min(1).max(1000).default(50) }),
    z.array(
      z.object({
        id: idSchema,
        op: z.string(),
        summary: z.string(),
        /** Null for edits logged before messages were stored: show `summary`. */
        message: messageSchema.nullable(),
        at: z.number(),
        undone: z.boolean(),
      }),
    ),
  ),
  /** Grouping and suggestion settings with plain-language descriptions. */
  'people.settings': request(empty, z.array(settingSchema)),
  /** Changes a setting (null restores its default). */
  'people.setSetting': request(
    z.object({ key: z.string(), value: z.number().nullable() }),
    z.array(settingSchema),
  ),
  /** Every label in the catalog as a labels file. */
  'people.exportLabels': request(empty, labelsFileSchema),
  /** Applies a labels file; labels that disagree with this catalog's confirmations are reported, not applied. */
  'people.importLabels': request(z.object({ labels: labelsFileSchema }), importReportSchema),
  /** Writes XMP sidecars (MWG face regions) for photos with named faces; originals are never modified. */
  'people.writeXmp': request(z.object({ photoIds: z.array(idSchema).optional() }), xmpReportSchema),
  /** Reads XMP face regions (sidecar or embedded) of photos and confirms the names on matching faces. */
  'people.readXmp': request(z.object({ photoIds: z.array(idSchema).optional() }), xmpImportSchema),
  /**
   * Folder-per-person labelling: for each photo under ROOT/<person>/ (already indexed), confirms the
   * photo's main face as that person.
   */
  'people.labelFromFolders': request(
    z.object({ root: z.string().min(1) }),
    z.object({
      people: z.number().int(),
      labelled: z.number().int(),
      noFace: z.array(z.string()),
      conflicts: z.array(z.string()),
      notIndexed: z.number().int(),
    }),
  ),
} as const;

export { confidenceLevels } from './confidence-levels';
