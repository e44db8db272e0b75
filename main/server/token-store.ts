/**
 * The web-mode token, kept per catalog so a restarted `visage serve` keeps working in open tabs and
 * bookmarks: it lives next to the catalog file (`<catalog>.web-token`), readable by its owner only
 * (0600; a file found with wider permissions is tightened). `visage serve --rotate-token` replaces it,
 * which locks out every tab that had the old one.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { newToken } from './auth';

const OWNER_ONLY = 0o600;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,}$/;

export function tokenFile(catalogFile: string): string {
  return `${catalogFile}.web-token`;
}

function read(file: string): string | null {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return TOKEN_SHAPE.test(text) ? text : null;
  } catch {
    return null;
  }
}

/** The catalog's token: the stored one, or a new one (stored) when there is none or `rotate` is set. */
export function catalogToken(catalogFile: string, rotate = false): { token: string; created: boolean } {
  // An in-memory catalog (tests) has nowhere to keep a token: a fresh one each time.
  if (catalogFile === '' || catalogFile === ':memory:') return { token: newToken(), created: true };
  const file = tokenFile(catalogFile);
  const stored = rotate ? null : read(file);
  if (stored) {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
    return { token: stored, created: false };
  }
  const token = newToken();
  writeFileSync(file, `${token}\n`, { mode: OWNER_ONLY });
  // writeFileSync's mode applies only when it creates the file; an old file keeps its mode otherwise.
  if (process.platform !== 'win32') chmodSync(file, OWNER_ONLY);
  return { token, created: true };
}
