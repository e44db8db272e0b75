/**
 * Building blocks of the contract. [Note: one contract] Every request is a name mapped to a params schema
 * and a reply schema; every event a name mapped to a payload schema. The Electron IPC bridge, the web
 * server and the CLI all serve the maps in contract.ts; the renderer's API type is derived from them.
 */
import type { z } from 'zod';

export interface RequestSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  reply: R;
}

/** Declares one request. The doc string is the JSDoc of the contract item. */
export function request<P extends z.ZodType, R extends z.ZodType>(params: P, reply: R): RequestSpec<P, R> {
  return { params, reply };
}
