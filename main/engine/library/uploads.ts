/**
 * Images the user hands to the UI (dropped or pasted into search) are written here so path-taking requests
 * can read them. Only image extensions are kept, names are random (the user's file name is never used as a
 * path), and anything older than an hour is deleted on the next upload.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../api/contract';

const MAX_BYTES = 30 * 1024 * 1024;
const KEEP_MS = 60 * 60 * 1000;
const EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.avif',
  '.gif',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
]);

export function uploadsDir(home: string): string {
  return path.join(home, 'uploads');
}

async function prune(dir: string, now: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    try {
      if (now - (await stat(file)).mtimeMs > KEEP_MS) await unlink(file);
    } catch {
      // Already gone: another upload pruned it.
    }
  }
}

export async function storeUpload(
  home: string,
  name: string,
  base64: string,
  now = Date.now(),
): Promise<string> {
  const ext = path.extname(name).toLowerCase();
  const safeExt = EXTENSIONS.has(ext) ? ext : '.jpg';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new UserError('The image is empty.');
  if (bytes.length > MAX_BYTES) throw new UserError('The image is larger than 30 MB.');
  const dir = uploadsDir(home);
  await mkdir(dir, { recursive: true });
  await prune(dir, now);
  const file = path.join(dir, `${randomBytes(12).toString('hex')}${safeExt}`);
  await writeFile(file, bytes);
  return file;
}
