/**
 * The window's security settings, in one place a unit test can import without Electron (type imports
 * only). [Note: secure renderer] The renderer is sandboxed, isolated from the preload, has no Node, loads
 * only from the visage:// protocol, and talks to the engine only through window.visage.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The app's own scheme: the UI at visage://app/…, images at visage://app/img/<kind>/<id>. */
export const APP_SCHEME = 'visage';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    experimentalFeatures: false,
  };
}

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export function windowOptions(
  bounds: WindowBounds,
  preload: string,
  dark: boolean,
): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Visage',
    backgroundColor: dark ? '#141518' : '#f6f6f4',
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(preload),
  };
}

/** True for URLs the window may show: only our own pages. Everything else opens in the user's browser. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}
