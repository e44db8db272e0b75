/**
 * `visage [--db PATH] <command> [options]`: parses global options, opens the engine and runs one command.
 */
import { parseArgs } from 'node:util';
import { UserError } from '../api/contract';
import { openEngine } from '../engine/engine';
import { ExitCode, type CliCommand, type CliIo } from './command';
import { commands } from './commands/command-list';

function usage(io: CliIo): void {
  io.out('Usage: visage [--db PATH] <command> [options]\n');
  io.out('Commands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(14)} ${c.summary}`);
  io.out('\nGlobal options:\n  --db PATH      catalog file (default: $VISAGE_HOME/catalog.db)');
  io.out('  --help         help for a command: visage <command> --help');
}

// `visage faces --json | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const stdio: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  let db: string | undefined;
  const rest = [...argv];
  while (rest[0]?.startsWith('--db')) {
    const arg = rest.shift()!;
    db = arg.includes('=') ? arg.slice(5) : rest.shift();
    if (!db) {
      io.err('visage: --db needs a path');
      return ExitCode.usage;
    }
  }
  const name = rest.shift();
  if (!name || name === '--help' || name === 'help') {
    usage(io);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`visage: unknown command "${name}". Run "visage --help" for the list.`);
    return ExitCode.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean' }, db: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.err(`visage ${name}: ${err instanceof Error ? err.message : String(err)}\nUsage: ${command.usage}`);
    return ExitCode.usage;
  }
  if (parsed.values.help) {
    io.out(`Usage: ${command.usage}\n\n${command.summary}`);
    return ExitCode.ok;
  }
  const dbPath = parsed.values.db ?? db ?? process.env.VISAGE_DB;
  // Web mode serves other clients: they may only name uploads and library files. [Note: paths the API may touch]
  const engine = openEngine({ dbPath, pathTrust: command.name === 'serve' ? 'ui' : 'local' });
  try {
    return await command.run({
      api: engine.api,
      engine: engine.context,
      receiveUpload: engine.receiveUpload,
      values: parsed.values,
      positionals: parsed.positionals,
      io,
    });
  } catch (err) {
    if (err instanceof UserError) {
      io.err(`visage ${name}: ${err.message}`);
      return err.code === 'not_found' ? ExitCode.notFound : ExitCode.usage;
    }
    if (err instanceof Error && err.name === 'ZodError') {
      io.err(`visage ${name}: invalid arguments: ${err.message}`);
      return ExitCode.usage;
    }
    io.err(`visage ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return ExitCode.failure;
  } finally {
    await engine.close();
  }
}
