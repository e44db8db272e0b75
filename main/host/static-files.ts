/**
 * Serves the built renderer (renderer/dist) in web mode and through Electron's visage:// protocol. Paths are
 * decoded, normalised and kept inside the dist folder; anything that is not a file there falls back to
 * index.html (the UI routes by hash, so this only matters for a refresh on a stray path).
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { appRoot } from '../engine/app-root';
import { isInside } from '../engine/library/image-access';

/** Where the built renderer is: VISAGE_RENDERER_DIST overrides (packaged app), else renderer/dist. */
export function rendererDist(): string {
  return process.env.VISAGE_RENDERER_DIST ?? path.join(appRoot(), 'renderer', 'dist');
}

export function rendererBuilt(dist = rendererDist()): boolean {
  return existsSync(path.join(dist, 'index.html'));
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  mime: string;
  /** Vite puts content-hashed files under /assets; those can be cached forever. */
  immutable: boolean;
}

/** The file for a URL path, or index.html; null only when the renderer is not built. */
export async function staticFile(urlPath: string, dist = rendererDist()): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = '/';
  }
  const rel = path.normalize(decoded).replace(/^[/\\]+/, '');
  let file = path.join(dist, rel === '' || rel === '.' ? 'index.html' : rel);
  if (!isInside(file, dist) || decoded.includes('\0')) file = path.join(dist, 'index.html');
  try {
    if (!(await stat(file)).isFile()) file = path.join(dist, 'index.html');
  } catch {
    file = path.join(dist, 'index.html');
  }
  try {
    const body = await readFile(file);
    const mime = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return { body, mime, immutable: isInside(file, path.join(dist, 'assets')) };
  } catch {
    return null;
  }
}
