/**
 * The renderer's one way to the engine: `api` is typed by the contract's VisageApi (never hand-written).
 * In Electron it is window.visage, built by the preload from the contract's request names; in web mode it
 * is the HTTP/WebSocket client. Components call it through the state classes, never directly.
 */
import type { VisageApi } from '../../../../main/api/contract';
import { webApi } from './web-client';

declare global {
  interface Window {
    /** Set by the Electron preload (main/app/preload.cjs); absent in web mode. */
    visage?: VisageApi;
  }
}

export const api: VisageApi = window.visage ?? webApi();

/** The message of an error thrown by a request, for showing to the user. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
