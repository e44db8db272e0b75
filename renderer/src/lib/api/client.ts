/**
 * The renderer's one way to the engine: `api` is typed by the contract's VisageApi (never hand-written).
 * In Electron it is built over window.visage (the preload's bridge of wire results, desktop-client.ts);
 * in web mode it is the HTTP/WebSocket client. Components call it through the state classes, never directly.
 */
import type { VisageApi } from '../../../../main/api/contract';
import type { MessageDto } from '../../../../main/api/common';
import { say, t } from '../i18n/i18n.svelte';
import { desktopApi, type DesktopBridge } from './desktop-client';
import { webApi } from './web-client';

declare global {
  interface Window {
    /** Set by the Electron preload (main/app/preload.cjs); absent in web mode. */
    visage?: DesktopBridge;
  }
}

export const api: VisageApi = window.visage ? desktopApi(window.visage) : webApi();

/**
 * The message of an error thrown by a request, for showing to the user: worded in the user's language
 * when the engine sent a message key ([Note: worded messages]); a lost connection says so plainly.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof TypeError && /fetch/i.test(err.message)) return t('err.disconnected');
  const said = (err as { say?: MessageDto | null } | null)?.say;
  const text = err instanceof Error ? err.message : String(err);
  return say(said, text);
}
