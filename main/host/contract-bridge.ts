/**
 * The host layer (main/host: what the desktop app and web mode share). Generic plumbing between a
 * transport (HTTP, Electron IPC, a utility-process port) and the contract: a host builds one VisageApi from the engine's client plus its own overrides (e.g. Electron's folder
 * dialog), and every transport calls it by request name. Nothing here names a request, so features added
 * to the contract are served without touching the transports. [Note: one contract]
 */
import { z } from 'zod';
import { dispatch } from '../api/client';
import { messageSchema } from '../api/common';
import {
  events,
  isRequestName,
  requests,
  UserError,
  type EventName,
  type Handlers,
  type RequestName,
  type VisageApi,
} from '../api/contract';
import type { WireError, WireResult } from '../api/wire';

export type { WireError, WireResult } from '../api/wire';

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

/** The same API with some requests answered by the host; overrides get validated params and replies. */
export function withOverrides(base: VisageApi, overrides: Partial<Handlers>): VisageApi {
  const api: Record<string, unknown> = { on: base.on.bind(base) };
  for (const name of requestNames) {
    const override = overrides[name] as ((p: unknown) => unknown) | undefined;
    const call = base[name] as (p: unknown) => Promise<unknown>;
    // An override is one more handler: the contract's one dispatch validates its params and reply.
    api[name] = override
      ? (params: unknown) => dispatch({ [name]: override } as unknown as Handlers, name, params)
      : (params: unknown) => call(params);
  }
  return api as VisageApi;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof UserError)
    return { message: err.message, kind: 'user', code: err.code, ...(err.say ? { say: err.say } : {}) };
  if (err instanceof z.ZodError)
    return { message: `Invalid parameters: ${z.prettifyError(err)}`, kind: 'user' };
  if (err instanceof Error) {
    // An internal failure may still carry words for the user (e.g. a training that failed).
    const said = messageSchema.safeParse((err as { say?: unknown }).say);
    return { message: err.message, kind: 'internal', ...(said.success ? { say: said.data } : {}) };
  }
  return { message: String(err), kind: 'internal' };
}

/** Calls a request by name with untrusted params; never throws. */
export async function callByName(api: VisageApi, name: string, params: unknown): Promise<WireResult> {
  if (!isRequestName(name))
    return { ok: false, error: { message: `Unknown request "${name}"`, kind: 'unknown' } };
  try {
    const fn = api[name] as (p: unknown) => Promise<unknown>;
    return { ok: true, value: await fn(params ?? {}) };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

/** Forwards every contract event to `send` until the returned function is called. */
export function forwardEvents(
  api: VisageApi,
  send: (event: EventName, payload: unknown) => void,
): () => void {
  const offs = eventNames.map((name) =>
    api.on(name, (payload) => {
      send(name, payload);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
