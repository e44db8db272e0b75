/**
 * The shape of one CLI command. Commands talk to the engine only through the contract client
 * (see [Note: one contract]), so the CLI exercises exactly what the app and web mode do.
 */
import type { ParseArgsConfig } from 'node:util';
import type { VisageApi } from '../api/contract';
import type { EngineContext } from '../engine/context';
import type { ReceiveUpload } from '../engine/handlers';

/** Exit codes a script can rely on. */
export const ExitCode = {
  ok: 0,
  /** Something failed while running (I/O, model, unexpected error). */
  failure: 1,
  /** Bad usage or bad input (unknown option, malformed value, a file that is not a folder). */
  usage: 2,
  /** What was named does not exist or nothing matched (missing folder, unknown person or face id, no face in
   * the query image, no result). */
  notFound: 3,
} as const;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliRun {
  api: VisageApi;
  /** Only for commands that genuinely need engine internals (e.g. eval builds its own temporary catalog). */
  engine: EngineContext;
  /** Web mode's streamed uploads (`serve` only; [Note: streamed uploads]). */
  receiveUpload: ReceiveUpload;
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  io: CliIo;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CliRun): Promise<number>;
}
