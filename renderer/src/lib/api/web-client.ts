/**
 * Web mode's client: each request is POST /api/<name> with JSON params (the token travels in the HttpOnly
 * cookie), and events arrive on one WebSocket at /events that reconnects on its own. Request names are not
 * listed here: a Proxy turns any property into a call, and the VisageApi type decides which exist.
 */
import type { EventName, EventPayload, VisageApi } from '../../../../main/api/contract';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = (payload: unknown) => void;

/** Connection state listeners, so views can refresh their snapshots after a reconnect. */
const connectionListeners = new Set<(connected: boolean) => void>();

export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

class EventSocket {
  private readonly listeners = new Map<string, Set<Listener>>();
  private socket: WebSocket | null = null;
  private retryMs = 500;

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.connect();
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  private connect(): void {
    if (this.socket) return;
    const url = new URL('events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.hash = '';
    url.search = '';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      for (const l of connectionListeners) l(true);
    };
    socket.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as { event: string; payload: unknown };
      for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload);
    };
    socket.onclose = () => {
      this.socket = null;
      for (const l of connectionListeners) l(false);
      setTimeout(() => {
        this.connect();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }
}

async function post(name: string, params: unknown): Promise<unknown> {
  const res = await fetch(`api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params ?? {}),
    credentials: 'same-origin',
  });
  const text = await res.text();
  const body: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) {
    const err = body as { error?: string; code?: string | null } | null;
    throw new ApiError(err?.error ?? `${name} failed (${res.status})`, res.status, err?.code ?? null);
  }
  return body;
}

export function webApi(): VisageApi {
  const events = new EventSocket();
  const on = events.on.bind(events);
  return new Proxy({} as VisageApi, {
    get(_target, prop) {
      if (prop === 'on') return on;
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (params: unknown) => post(prop, params);
    },
  });
}
