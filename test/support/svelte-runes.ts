/**
 * Runs the renderer's rune classes (renderer/src/lib/state/*.svelte.ts) under node's test runner: registers
 * svelte-runes-hooks.mjs (Svelte's compileModule, as Vite does for the app) and gives the module the few
 * browser globals the state classes touch. `window.visage` is the API the classes call, as the Electron
 * preload sets it: a test hands in a real engine's in-process client or a small stand-in.
 *
 * State modules are singletons that read `window.visage` once, so install() comes before the first
 * importState() of a test file (each test file runs in its own process).
 */
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isRequestName, type VisageApi } from '../../main/api/contract';
import { callByName } from '../../main/host/contract-bridge';

register('./svelte-runes-hooks.mjs', import.meta.url);

const stateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/src/lib/state');

/**
 * The preload's bridge over an API (a real engine's or a stand-in): each request resolves its wire
 * result, exactly as main/app/preload.cjs does over IPC, so the renderer's desktop client is what runs.
 */
function bridgeOf(api: Record<string, unknown>): unknown {
  const noEvents = () => () => undefined;
  return new Proxy(
    {},
    {
      has: (_t, name) => name === 'on' || (typeof name === 'string' && isRequestName(name)),
      get: (_t, name) =>
        name === 'on'
          ? typeof api.on === 'function'
            ? (api.on as (...a: unknown[]) => unknown).bind(api)
            : noEvents
          : (params: unknown) => callByName(api as unknown as VisageApi, String(name), params),
    },
  );
}

/** Sets the browser globals the state classes use, with a bridge over `visage` as window.visage. */
export function install(visage: unknown): void {
  const stored = new Map<string, string>();
  const g = globalThis as Record<string, unknown>;
  g.localStorage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => stored.set(k, v),
  };
  g.navigator = { language: 'en-US' };
  g.document = { documentElement: { dataset: {}, lang: 'en' } };
  g.window = {
    visage: bridgeOf(visage as Record<string, unknown>),
    location: { hash: '' },
    addEventListener: () => undefined,
  };
}

/**
 * Imports one state module by name ('review' for review.svelte.ts). The path is computed so the root
 * tsconfig (Node, no DOM) does not type-check the renderer: the caller names the shape it uses.
 */
export async function importState<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(path.join(stateDir, `${name}.svelte.ts`)).href)) as T;
}
