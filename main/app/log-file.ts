/**
 * The desktop app's log files (main.log, engine.log in the logs folder, see locations.ts): a packaged app
 * has no terminal, so what the main process and the engine print goes here, each line stamped with the
 * time. A file past maxBytes is moved to <name>.1 (one old file kept) when the app opens it, so logs
 * never grow without bound.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

export interface LogFile {
  path: string;
  /** Appends text (one or more lines) with a timestamp on each line. */
  write(text: string): void;
}

export function openLogFile(
  dir: string,
  name: string,
  maxBytes = 5_000_000,
  now = () => new Date(),
): LogFile {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  if (existsSync(file) && statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
  return {
    path: file,
    write(text) {
      const stamp = now().toISOString();
      const lines = text.replace(/\n$/, '').split('\n');
      try {
        appendFileSync(file, lines.map((l) => `${stamp} ${l}\n`).join(''));
      } catch {
        // A full disk or a removed folder must not take the app down with it.
      }
    },
  };
}
