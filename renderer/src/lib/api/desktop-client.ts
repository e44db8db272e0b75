/**
 * The desktop app's client: window.visage (built by main/app/preload.cjs) resolves every request with the
 * wire result itself, and this turns it back into the reply or the same ApiError web mode throws (code
 * and message key included), so errors have one shape on every transport.
 */
import type { VisageApi } from '../../../../main/api/contract';
import type { WireError, WireResult } from '../../../../main/api/wire';
import { ApiError } from './web-client';

/** What the preload exposes: each request name resolves a wire result; `on` subscribes to an event. */
export type DesktopBridge = { on: VisageApi['on'] } & Record<
  string,
  (params?: unknown) => Promise<WireResult>
>;

/** The HTTP status web mode would have answered with, so views can treat both transports alike. */
const statusOf = (kind: WireError['kind']) => (kind === 'user' ? 400 : kind === 'unknown' ? 404 : 500);

export function errorFromWire(error: WireError): ApiError {
  return new ApiError(error.message, statusOf(error.kind), error.code ?? null, error.say ?? null);
}

export function desktopApi(bridge: DesktopBridge): VisageApi {
  return new Proxy({} as VisageApi, {
    get(_target, name) {
      if (name === 'on') return bridge.on;
      if (typeof name !== 'string') return undefined;
      // Reflect.get: the bridge is indexed by a runtime name (the two tsconfigs disagree on index types).
      const call = Reflect.get(bridge, name) as ((params?: unknown) => Promise<WireResult>) | undefined;
      if (!call) return undefined;
      return async (params?: unknown) => {
        const result = await call(params ?? {});
        if (result.ok) return result.value;
        throw errorFromWire(result.error);
      };
    },
  });
}
