/**
 * The folder that holds Visage's package.json: the repository in development, app.asar when packaged.
 * Found by walking up from this module's own file, so it is right both from the TypeScript sources
 * (main/<area>/x.ts) and from the bundles (dist/app/x.js, see [Note: packaged layout] in
 * electron.config.ts), whose depths differ: a fixed '../..' would be right for one and wrong for the other.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

function isVisagePackage(dir: string): boolean {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'visage';
  } catch {
    return false;
  }
}

/** The first folder above `from` (a file or folder) whose package.json is Visage's. */
export function findAppRoot(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    if (isVisagePackage(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Visage's package.json was not found above ${from}`);
    dir = parent;
  }
}

export function appRoot(): string {
  cached ??= findAppRoot(path.dirname(fileURLToPath(import.meta.url)));
  return cached;
}
