/** Jobs: one typed progress snapshot for every long-running job, plus pause/cancel. */
import { z } from 'zod';
import { empty, messageSchema, ok } from './common';
import { request } from './define';

export const jobKindSchema = z.enum(['index', 'cluster', 'train', 'recognise']);

export const progressSchema = z.object({
  job: jobKindSchema,
  phase: z.string(),
  state: z.enum(['idle', 'running', 'paused', 'done', 'failed', 'cancelled']),
  done: z.number().int(),
  total: z.number().int(),
  etaMs: z.number().nullable(),
  current: z.string().nullable(),
  errors: z.number().int(),
  /** Why it ended (a failure, a guard's verdict), in English for logs and the CLI. */
  message: z.string().nullable(),
  /** The same as a key and parameters, for the UI to word ([Note: worded messages]); null: use `message`. */
  say: messageSchema.nullable().default(null),
});
export type Progress = z.infer<typeof progressSchema>;

export const jobRequests = {
  /** Current snapshot of every job. */
  'jobs.status': request(empty, z.array(progressSchema)),
  /** Cancels a running job; finished work is kept and the job resumes where it stopped when restarted. */
  'jobs.cancel': request(z.object({ job: jobKindSchema }), ok),
  /** Pauses or resumes the indexing job. */
  'jobs.pause': request(z.object({ job: jobKindSchema, paused: z.boolean() }), ok),
} as const;

export const jobEvents = {
  /** Throttled progress of a job (at most a few per second, plus every state change). */
  'jobs.progress': progressSchema,
} as const;
