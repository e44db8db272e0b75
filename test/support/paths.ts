/** Where tests find the repo and the shared face sets (never copied into the repo). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const facesDir = process.env.VISAGE_FACES ?? path.resolve(repoRoot, '../shared/data/faces');

/** A path inside the shared face sets; throws (never skips) when the data is not there. */
export function face(...parts: string[]): string {
  const p = path.join(facesDir, ...parts);
  if (!existsSync(p))
    throw new Error(`Test data missing: ${p} (set VISAGE_FACES to the shared faces folder)`);
  return p;
}

export const xmpDir = process.env.VISAGE_XMP ?? path.resolve(repoRoot, '../shared/data/xmp');

/** The shared corpus of XMP files written by other tools (../shared/data/xmp); throws when missing. */
export function xmpCorpus(): string {
  if (!existsSync(path.join(xmpDir, 'README.txt')))
    throw new Error(`Test data missing: ${xmpDir} (set VISAGE_XMP to the shared xmp folder)`);
  return xmpDir;
}
