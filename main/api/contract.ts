/**
 * The Visage API contract: every request and event, as one map each. See [Note: one contract] in define.ts.
 * Features add their maps here; nothing else declares a channel.
 */
import type { z } from 'zod';
import type { MessageDto } from './common';
import { appEvents, appRequests } from './app';
import { headEvents, headRequests } from './head';
import { jobEvents, jobRequests } from './jobs';
import { libraryRequests } from './library';
import { peopleRequests } from './people';
import { searchRequests } from './search';

export const requests = {
  ...libraryRequests,
  ...jobRequests,
  ...appRequests,
  ...peopleRequests,
  ...searchRequests,
  ...headRequests,
} as const;

export const events = {
  ...jobEvents,
  ...appEvents,
  ...headEvents,
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type Params<N extends RequestName> = z.input<Requests[N]['params']>;
export type ParsedParams<N extends RequestName> = z.output<Requests[N]['params']>;
export type Reply<N extends RequestName> = z.output<Requests[N]['reply']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
/** Sends one event to every client (the engine's event sink; hosts forward what it sends). */
export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** What a client (renderer, CLI, tests) sees: one async function per request, plus event subscription. */
export type VisageApi = {
  [N in RequestName]: (params: Params<N>) => Promise<Reply<N>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** What a server implements: one handler per request, receiving validated params. */
export type Handlers = {
  [N in RequestName]: (params: ParsedParams<N>) => Promise<Reply<N>> | Reply<N>;
};

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}

/**
 * Typed error a handler throws for a bad request (reported to clients as 400, CLI exit code 2). `say` is
 * the same sentence as a message key and parameters for the UI to word ([Note: worded messages]).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: 'bad_request' | 'not_found' | 'conflict' = 'bad_request',
    readonly say: MessageDto | null = null,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
