/**
 * The plain reason behind a stored failure text. Failures are stored as the decoder's or scanner's detail
 * (paths, hex bytes, libvips text: useful in a log, not on a screen); the UI shows the reason instead,
 * worded in the user's language (message keys `err.decode.<reason>`). The patterns mirror the texts made
 * in decode.ts and scanner.ts; anything else is 'other'.
 */
import type { z } from 'zod';
import { failureReasonSchema } from '../../api/library';
import type { DecodeFailure } from '../vision/decode';

/** The reasons, as the contract lists them (failureReasonSchema in main/api/library.ts). */
export type FailureReason = z.infer<typeof failureReasonSchema>;
export const FAILURE_REASONS = failureReasonSchema.options;
/** Every way decoding fails is a reason the UI can word: this does not compile otherwise. */
export type DecodeReason = ReasonOf<DecodeFailure>;
type ReasonOf<T extends FailureReason> = T;

/** Anchored on how each text starts, so a libvips message quoted inside cannot mislead. */
const PATTERNS: [RegExp, FailureReason][] = [
  [/^file not found|^vanished during the scan/i, 'missing'],
  [/^empty file/i, 'empty'],
  [/^permission denied|^not a (regular )?file|^cannot read/i, 'unreadable'],
  [/^not a recognised image format|^\w+ images are not supported|^HEIC/i, 'unsupported'],
  [/^truncated/i, 'truncated'],
  [/^corrupt|^decoding timed out/i, 'corrupt'],
  [/^image too large/i, 'too-large'],
];

export function failureReason(error: string): FailureReason {
  for (const [re, reason] of PATTERNS) if (re.test(error)) return reason;
  return 'other';
}
