/**
 * Recursive, loop-safe listing of image files under a folder. Directories are identified by realpath so a
 * symlink loop (a → b → a) is walked once; unreadable entries are reported, never fatal.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.png',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
  '.gif',
  '.heic',
  '.heif',
]);

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface WalkResult {
  files: FoundFile[];
  problems: { path: string; error: string }[];
  /** Files that are not photos by their name, for the user to hear about (not companions, see below). */
  skipped: string[];
}

export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/**
 * Files a photo library holds beside its photos on purpose: metadata sidecars (XMP, Apple's edits, camera
 * thumbnails) and the system's own caches. Passing over them is expected, so they are not "skipped".
 */
const COMPANION_EXTENSIONS = new Set(['.xmp', '.aae', '.thm']);
const COMPANION_NAMES = new Set(['thumbs.db', 'desktop.ini', 'ehthumbs.db']);

export function isCompanionName(name: string): boolean {
  const lower = name.toLowerCase();
  return COMPANION_NAMES.has(lower) || COMPANION_EXTENSIONS.has(path.extname(lower));
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'vanished during the scan';
    case 'ELOOP':
      return 'symbolic link loop';
    default:
      return e.message;
  }
}

function linkReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'broken symbolic link (its target does not exist)';
  if (code === 'ELOOP') return 'symbolic link loop';
  return reason(err);
}

export async function walkImages(root: string, signal?: AbortSignal): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const problems: WalkResult['problems'] = [];
  const skipped: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const stack = [root];
  while (stack.length) {
    signal?.throwIfAborted();
    const dir = stack.pop()!;
    let real: string;
    let entries: string[];
    try {
      real = await realpath(dir);
      if (seenDirs.has(real)) continue;
      seenDirs.add(real);
      entries = await readdir(dir);
    } catch (err) {
      problems.push({ path: dir, error: reason(err) });
      continue;
    }
    for (const name of entries.sort()) {
      if (name.startsWith('.')) continue; // hidden files and folders (.thumbnails, .git, sidecar caches)
      const full = path.join(dir, name);
      let link = false;
      try {
        const l = await lstat(full);
        link = l.isSymbolicLink();
        const s = link ? await stat(full) : l;
        if (s.isDirectory()) stack.push(full);
        else if (s.isFile() && isImageName(name)) {
          // The same file reached through two links is one photo.
          const key = l.isSymbolicLink() ? await realpath(full) : full;
          if (seenFiles.has(key)) continue;
          seenFiles.add(key);
          files.push({ path: full, size: s.size, mtimeMs: Math.floor(s.mtimeMs) });
        } else if (s.isFile() && !isCompanionName(name)) skipped.push(full);
      } catch (err) {
        // A link to nothing (or to itself) is reported whatever its name: it may have been a folder.
        if (link) problems.push({ path: full, error: linkReason(err) });
        else if (isImageName(name)) problems.push({ path: full, error: reason(err) });
      }
    }
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  skipped.sort((a, b) => a.localeCompare(b));
  return { files, problems, skipped };
}

export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
