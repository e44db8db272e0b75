/**
 * Images the user hands to the UI (dropped or pasted into search) are written here so path-taking requests
 * can read them. The bytes are sniffed before anything is stored (only image formats the decoder knows),
 * the extension comes from the sniffed format (the user's file name is never used as a path), anything
 * older than an hour is deleted on the next upload, and at most MAX_FILES are kept (oldest go first).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../api/contract';
import { sniffFormat } from './decode';

const MAX_BYTES = 30 * 1024 * 1024;
const KEEP_MS = 60 * 60 * 1000;
/** Uploads kept at once: a client uploading in a loop fills the disk by at most this many files. */
export const MAX_FILES = 50;
/** The stored file's extension, from the sniffed format (never from the name the client sent). */
const EXTENSION_OF: Record<string, string> = {
  jpeg: '.jpg',
  png: '.png',
  webp: '.webp',
  avif: '.avif',
  gif: '.gif',
  tiff: '.tif',
  heic: '.heic',
  heif: '.heif',
};

export function uploadsDir(home: string): string {
  return path.join(home, 'uploads');
}

async function prune(dir: string, now: number): Promise<void> {
  const kept: { file: string; mtimeMs: number }[] = [];
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    try {
      const { mtimeMs } = await stat(file);
      if (now - mtimeMs > KEEP_MS) await unlink(file);
      else kept.push({ file, mtimeMs });
    } catch {
      // Already gone: another upload pruned it.
    }
  }
  kept.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file } of kept.slice(MAX_FILES - 1)) await unlink(file).catch(() => undefined);
}

/** Stores an upload; the client's file name is not used (the name is random, the extension sniffed). */
export async function storeUpload(home: string, base64: string, now = Date.now()): Promise<string> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new UserError('The image is empty.');
  if (bytes.length > MAX_BYTES) throw new UserError('The image is larger than 30 MB.');
  const format = sniffFormat(bytes.subarray(0, 32));
  const safeExt = format ? EXTENSION_OF[format] : undefined;
  if (!safeExt) {
    // Worded by the UI in the user's language (the same words as a photo that cannot be decoded).
    throw new UserError(
      'That file is not an image Visage can read (JPEG, PNG, WebP, AVIF, GIF, TIFF).',
      'bad_request',
      { key: 'err.decode.unsupported', params: {} },
    );
  }
  const dir = uploadsDir(home);
  await mkdir(dir, { recursive: true });
  await prune(dir, now);
  const file = path.join(dir, `${randomBytes(12).toString('hex')}${safeExt}`);
  await writeFile(file, bytes);
  return file;
}
