/**
 * A request's result as it crosses a process or network boundary (Electron IPC, the engine's utility
 * process): its value, or the error with its kind, code and message key. One shape on every transport:
 * the renderer rebuilds the same error from it in the desktop app as from an HTTP error body in web mode
 * (an Error thrown across Electron's context bridge keeps only its message, electron/electron#25596).
 */
import type { MessageDto } from './common';

export interface WireError {
  message: string;
  /** 'user' for bad params or a UserError (HTTP 400), 'unknown' for a request name not in the contract. */
  kind: 'user' | 'unknown' | 'internal';
  code?: string;
  /** The message as a key and parameters, for the UI to word ([Note: worded messages]). */
  say?: MessageDto;
}

export type WireResult = { ok: true; value: unknown } | { ok: false; error: WireError };
