/**
 * [Note: image allow-list] The one gate every image file passes before it is read or served, shared by the
 * web server's /img route, Electron's visage:// protocol and the thumbnail maker: a file is served only if
 * its real path (symlinks resolved) is a regular file inside a library folder or the thumbnail cache.
 * Image URLs name an image by kind and id, never by path, so a URL cannot smuggle a path in; the URL parser
 * below still refuses anything but the exact shape, including `..` and percent-encoded tricks.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageKind } from '../../api/app';

export const IMAGE_KINDS: readonly ImageKind[] = ['photo', 'preview', 'thumb', 'face', 'context'];

/** The thumbnail cache lives in the user's data folder; it is one of the allow-list's roots. */
export function thumbnailCacheDir(home: string): string {
  return path.join(home, 'thumbnails');
}

export class ImageAccessError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404,
  ) {
    super(message);
    this.name = 'ImageAccessError';
  }
}

export interface ImageRef {
  kind: ImageKind;
  id: number;
}

const IMAGE_PATH = /^\/img\/(photo|preview|thumb|face|context)\/([1-9][0-9]{0,15})$/;

/**
 * Parses the path part of an image URL (`/img/<kind>/<id>`). The raw, undecoded path is matched, so `%2e`,
 * `%2f`, backslashes and dot segments never reach the file system.
 */
export function parseImagePath(rawPath: string): ImageRef {
  const m = IMAGE_PATH.exec(rawPath);
  if (!m) throw new ImageAccessError(`Not an image address: ${rawPath.slice(0, 200)}`, 400);
  return { kind: m[1] as ImageKind, id: Number(m[2]) };
}

/** True when `child` is `root` or inside it (both already absolute and normalised). */
export function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realOrNull(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}

/**
 * Resolves `candidate` and returns its real path if it is a regular file inside one of `roots`; throws an
 * ImageAccessError otherwise. Relative paths and paths with `..` segments are refused outright rather than
 * normalised, since no legitimate caller produces them.
 */
export async function allowedImageFile(candidate: string, roots: readonly string[]): Promise<string> {
  if (candidate.includes('\0')) throw new ImageAccessError('Invalid path.', 400);
  if (!path.isAbsolute(candidate)) throw new ImageAccessError('Image paths must be absolute.', 400);
  if (candidate.split(/[\\/]/).includes('..'))
    throw new ImageAccessError('Image paths may not contain "..".', 400);
  const real = await realOrNull(candidate);
  if (!real) throw new ImageAccessError('Image not found.', 404);
  const realRoots = (await Promise.all(roots.map(realOrNull))).filter((r): r is string => r !== null);
  if (!realRoots.some((root) => isInside(real, root))) {
    throw new ImageAccessError('This file is outside the library folders.', 403);
  }
  const info = await stat(real);
  if (!info.isFile()) throw new ImageAccessError('Not a file.', 404);
  return real;
}

const MIME_BY_EXT: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
};

export function imageMime(file: string): string {
  return MIME_BY_EXT[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
