/**
 * An in-process client over a Handlers map: validates params with the contract's schemas exactly as the
 * IPC bridge and the web server do, so the CLI and tests exercise the same path as the app.
 */
import {
  events,
  requests,
  type EventName,
  type EventPayload,
  type Handlers,
  type Params,
  type Reply,
  type RequestName,
  type VisageApi,
} from './contract';

type Listener = (payload: unknown) => void;

export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  /** Every event, for bridges that forward all of them (IPC, WebSocket). */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    const offs = (Object.keys(events) as EventName[]).map((name) =>
      this.on(name, (p) => {
        listener(name, p);
      }),
    );
    return () => {
      for (const off of offs) off();
    };
  }
}

/** Calls a handler after validating params, and validates the reply in development and tests. */
export async function dispatch<N extends RequestName>(
  handlers: Handlers,
  name: N,
  params: unknown,
): Promise<Reply<N>> {
  const spec = requests[name];
  const parsed = spec.params.parse(params ?? {});
  const handler = handlers[name] as (p: unknown) => Promise<Reply<N>> | Reply<N>;
  const reply = await handler(parsed);
  return spec.reply.parse(reply) as Reply<N>;
}

export function localClient(handlers: Handlers, hub: EventHub): VisageApi {
  const api: Record<string, unknown> = {
    on: hub.on.bind(hub),
  };
  for (const name of Object.keys(requests) as RequestName[]) {
    api[name] = (params: Params<typeof name>) => dispatch(handlers, name, params);
  }
  return api as VisageApi;
}
