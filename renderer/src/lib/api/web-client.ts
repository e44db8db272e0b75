/**
 * Web mode's client: each request is POST /api/<name> with JSON params (the token travels in the HttpOnly
 * cookie), and events arrive on one WebSocket at /events that reconnects on its own. Request names are not
 * listed here: a Proxy turns any property into a call, and the VisageApi type decides which exist.
 */
import type { MessageDto } from '../../../../main/api/common';
import type { EventName, EventPayload, VisageApi } from '../../../../main/api/contract';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    /** The message as a key and parameters, for errorMessage() to word. */
    readonly say: MessageDto | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = (payload: unknown) => void;

/** Connection state listeners, so views can refresh their snapshots after a reconnect. */
const connectionListeners = new Set<(connected: boolean) => void>();
/** Told when the server answers but refuses this tab's token (it was rotated, or another catalog). */
const refusedListeners = new Set<() => void>();

export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

export function onAccessRefused(listener: () => void): () => void {
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}

function refused(): void {
  for (const l of refusedListeners) l();
}

class EventSocket {
  private readonly listeners = new Map<string, Set<Listener>>();
  private socket: WebSocket | null = null;
  private retryMs = 500;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Tries to reconnect now instead of waiting for the next retry (the banner's "Reconnect"). */
  reconnect(): void {
    if (this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retryMs = 500;
    this.connect();
  }

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
      // A server that is up but refuses the socket has another token: say so instead of retrying forever.
      fetch('api/app.info', { method: 'POST', body: '{}', credentials: 'same-origin' })
        .then((res) => {
          if (res.status === 401 || res.status === 403) refused();
        })
        .catch(() => undefined);
      this.timer = setTimeout(() => {
        this.timer = null;
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
  return replyOf(res, name);
}

/** A server reply as its JSON body, or an ApiError carrying the server's message and worded form. */
export async function replyOf(res: Response, name: string): Promise<unknown> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = { error: text };
  }
  if (res.status === 401 || res.status === 403) refused();
  if (!res.ok) {
    const err = body as { error?: string; code?: string | null; say?: MessageDto | null } | null;
    throw new ApiError(
      err?.error ?? `${name} failed (${res.status})`,
      res.status,
      err?.code ?? null,
      err?.say ?? null,
    );
  }
  return body;
}

let socket: EventSocket | null = null;

/** Reconnects the event socket at once (web mode; a no-op in Electron). */
export function reconnectNow(): void {
  socket?.reconnect();
}

export function webApi(): VisageApi {
  const events = new EventSocket();
  socket = events;
  const on = events.on.bind(events);
  return new Proxy({} as VisageApi, {
    get(_target, prop) {
      if (prop === 'on') return on;
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (params: unknown) => post(prop, params);
    },
  });
}
