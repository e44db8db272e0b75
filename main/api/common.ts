/** DTOs shared by several features of the contract. */
import { z } from 'zod';

export const idSchema = z.number().int().positive();

/** A face box in oriented-image pixels (EXIF rotation applied), top-left origin. */
export const boxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
export type Box = z.infer<typeof boxSchema>;

/**
 * A photo's size in oriented pixels (the pixels its face boxes are in); null before it is analysed. Where
 * a face's `context` crop sits in its photo depends on it (contextWindow in face-context.ts).
 */
export const photoSizeSchema = z.object({ width: z.number(), height: z.number() }).nullable();
export type PhotoSize = z.infer<typeof photoSizeSchema>;

export const pointSchema = z.tuple([z.number(), z.number()]);
export type Point = z.infer<typeof pointSchema>;

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });

/** A numeric setting with its plain-language label and description, as the settings screen shows it. */
export const settingSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  value: z.number(),
  default: z.number(),
  min: z.number(),
  max: z.number(),
});
export type SettingDto = z.infer<typeof settingSchema>;

/**
 * [Note: worded messages] A sentence for the user as a key and its parameters (names, counts, file
 * names; never an internal id). The renderer words it in the user's language from its message catalogs;
 * the engine keeps an English rendering (`summary`, an error's message) for the CLI and logs.
 */
export const messageSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type MessageDto = z.infer<typeof messageSchema>;
