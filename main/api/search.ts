/** Search: photos of a person by face (library face, image file or embedding), by name, several people together. */
import { z } from 'zod';
import { boxSchema, empty, idSchema, photoSizeSchema } from './common';
import { request } from './define';

/** Filters and limits every search takes. Dates are ms since the epoch; photos without a date never match a date range. */
const searchOptions = {
  /** Only photos in this folder (absolute path) or below it. */
  folder: z.string().min(1).optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  /** At most this many photos. */
  top: z.number().int().min(1).max(10_000).default(50),
  /** Minimum cosine similarity of a face to the query; default: the measured default (see search-service.ts). */
  threshold: z.number().min(-1).max(1).optional(),
};

export const faceMatchSchema = z.object({
  faceId: idSchema,
  box: boxSchema,
  score: z.number(),
  /** confirmed / auto: the face is assigned to the person searched for; similar: matched by similarity. */
  match: z.enum(['confirmed', 'auto', 'similar']),
  /** Whom the face is assigned to now, if anyone. */
  person: z.object({ id: idSchema, name: z.string() }).nullable(),
});

/** How alike a match is, in words: cut at measured similarities (main/engine/search/likeness.ts). */
export const likenessSchema = z.enum(['likely', 'probable', 'possible', 'unlikely']);
export type Likeness = z.infer<typeof likenessSchema>;

export const photoMatchSchema = z.object({
  photoId: idSchema,
  path: z.string(),
  takenAt: z.number().nullable(),
  photoSize: photoSizeSchema,
  /** Best face's similarity (a cosine, not a chance); for several people, the weakest of their best faces. */
  score: z.number(),
  /** `score` in words, which is what a user is shown ([Note: likeness bands]). */
  likeness: likenessSchema,
  faces: z.array(faceMatchSchema),
});
export type PhotoMatchDto = z.infer<typeof photoMatchSchema>;
/** One person of a names search on their own: how many photos they are found in. */
export interface PersonPhotosDto {
  name: string;
  photos: number;
}

const resultsSchema = z.object({ results: z.array(photoMatchSchema) });

export const searchStatusSchema = z.object({
  faces: z.number().int(),
  /** exact: float scan; quantised: int8 scan + float re-scoring; approximate: HNSW graph + re-scoring. */
  mode: z.enum(['exact', 'quantised', 'approximate']),
  annPending: z.number().int(),
  annSize: z.number().int(),
  bytes: z.number().int(),
});

export const searchRequests = {
  /** Photos of the person whose library face this is, best first (the face itself is left out). */
  'search.byFace': request(z.object({ faceId: idSchema, ...searchOptions }), resultsSchema),
  /**
   * Photos of the person in an image file: its largest face, or face number `face` (0-based, left to
   * right). Replies with every face found so a caller can offer the others. No face: not_found.
   */
  'search.byImage': request(
    z.object({ path: z.string().min(1), face: z.number().int().min(0).optional(), ...searchOptions }),
    z.object({
      faces: z.array(z.object({ box: boxSchema })),
      used: z.number().int(),
      ...resultsSchema.shape,
    }),
  ),
  /** Photos similar to an embedding (512 numbers, normalised by the engine). */
  'search.byEmbedding': request(
    z.object({ embedding: z.array(z.number()), ...searchOptions }),
    resultsSchema,
  ),
  /**
   * Photos with every one of these people (names): their confirmed and auto-assigned faces, plus unless
   * `similar` is false their unassigned look-alikes (similar to the mean of their confirmed faces).
   */
  'search.byPeople': request(
    z.object({
      people: z.array(z.string().min(1)).min(1),
      similar: z.boolean().default(true),
      ...searchOptions,
    }),
    z.object({
      ...resultsSchema.shape,
      /**
       * Each person on their own (as named, in the order asked): in how many photos they are found with the
       * same filters, so "no photo has them all together" can say who is in how many.
       */
      people: z.array(z.object({ name: z.string(), photos: z.number().int() })),
    }),
  ),
  /** Size of the face index and how it is searched right now. */
  'search.status': request(empty, searchStatusSchema),
} as const;
