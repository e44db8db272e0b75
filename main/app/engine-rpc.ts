/**
 * A typed RPC between the Electron main process and the engine's utility process, over any port with
 * postMessage/onMessage (utilityProcess's parentPort, a worker_threads MessagePort in tests). The engine
 * side serves a VisageApi by request name (validated there, [Note: one contract]); the main side gets a
 * VisageApi back, so everything above it is the same as with an in-process engine. Errors cross as data and
 * come back as UserError or Error with the engine's message.
 */
import { UserError, type EventName, type EventPayload, type VisageApi } from '../api/contract';
import { callByName, forwardEvents, requestNames, type WireResult } from '../host/contract-bridge';

export interface RpcPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

type ToEngine = { type: 'call'; id: number; name: string; params: unknown } | { type: 'shutdown' };
type FromEngine =
  | { type: 'reply'; id: number; result: WireResult }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'ready'; info: EngineInfo };

/** What the main process needs to know about the engine it started. */
export interface EngineInfo {
  /** The engine's data folder: the thumbnail cache, one root of the image allow-list, lives there. */
  home: string;
}

/** Engine side: answers calls from `port` with `api` and forwards every event. */
export function serveRpc(port: RpcPort, api: VisageApi, info: EngineInfo): () => void {
  port.onMessage((raw) => {
    const msg = raw as ToEngine;
    if (msg.type !== 'call') return;
    void callByName(api, msg.name, msg.params).then((result) => {
      port.postMessage({ type: 'reply', id: msg.id, result } satisfies FromEngine);
    });
  });
  const off = forwardEvents(api, (event, payload) => {
    port.postMessage({ type: 'event', event, payload } satisfies FromEngine);
  });
  port.postMessage({ type: 'ready', info } satisfies FromEngine);
  return off;
}

export interface RpcClient {
  api: VisageApi;
  /** Resolves when the engine said it is ready. */
  ready: Promise<EngineInfo>;
  /** Fails every pending call (the engine process died). */
  failAll(reason: string): void;
}

/** Main side: a VisageApi whose calls travel over `port`. */
export function rpcClient(port: RpcPort): RpcClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let markReady: (info: EngineInfo) => void = () => undefined;
  const ready = new Promise<EngineInfo>((resolve) => (markReady = resolve));

  port.onMessage((raw) => {
    const msg = raw as FromEngine;
    if (msg.type === 'ready') {
      markReady(msg.info);
      return;
    }
    if (msg.type === 'event') {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
      return;
    }
    const call = pending.get(msg.id);
    if (!call) return;
    pending.delete(msg.id);
    if (msg.result.ok) call.resolve(msg.result.value);
    else {
      const { message, kind, code, say } = msg.result.error;
      const codes = ['bad_request', 'not_found', 'conflict'] as const;
      const userCode = codes.find((c) => c === code) ?? 'bad_request';
      if (kind !== 'internal') call.reject(new UserError(message, userCode, say ?? null));
      else call.reject(Object.assign(new Error(message), say ? { say } : {}));
    }
  });

  const api: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };
  for (const name of requestNames) {
    api[name] = (params: unknown) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        port.postMessage({ type: 'call', id, name, params } satisfies ToEngine);
      });
  }
  return {
    api: api as VisageApi,
    ready,
    failAll(reason) {
      for (const call of pending.values()) call.reject(new Error(reason));
      pending.clear();
    },
  };
}
