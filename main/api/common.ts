/** DTOs shared by several features of the contract. */
import { z } from 'zod';

export const idSchema = z.number().int().positive();

/** A face box in oriented-image pixels (EXIF rotation applied), top-left origin. */
export const boxSchema = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
export type Box = z.infer<typeof boxSchema>;

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
