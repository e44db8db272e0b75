/**
 * Images the user hands to the UI (dropped or pasted into search) are written here so path-taking requests
 * can read them. [Note: streamed uploads] (main/api/app.ts): the bytes are sniffed before anything is
 * stored (only image formats the decoder knows), the extension comes from the sniffed format (the user's
 * file name is never used as a path), web mode's uploads are streamed to a partial file and renamed when
 * complete (a refused, aborted or failed one is removed), at most UPLOADS_AT_ONCE run at once, anything
 * older than an hour is deleted on the next upload, and at most MAX_FILES are kept (oldest go first).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { MessageDto } from '../../api/common';
import { MAX_UPLOAD_BYTES } from '../../api/upload-route';
import { UserError } from '../../api/contract';
import { sniffFormat } from '../vision/decode';

const KEEP_MS = 60 * 60 * 1000;
/** Uploads kept at once: a client uploading in a loop fills the disk by at most this many files. */
export const MAX_FILES = 50;
/** Streamed uploads in progress at once (per process); more are refused with 503 until one ends. */
export const UPLOADS_AT_ONCE = 4;
/** Bytes the format sniffer looks at. */
const HEAD_BYTES = 32;
/** A partial upload's suffix: such files are never handed out, and pruned once stale. */
const PARTIAL = '.part';
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

/** A refused upload: a UserError the UI words ([Note: worded messages]) with the HTTP status web mode sends. */
export class UploadRefused extends UserError {
  constructor(
    message: string,
    say: MessageDto,
    readonly status: 400 | 413 | 503,
  ) {
    super(message, 'bad_request', say);
    this.name = 'UploadRefused';
  }
}

const MAX_MB = Math.round(MAX_UPLOAD_BYTES / 1024 / 1024);
const tooLarge = () =>
  new UploadRefused(
    `The image is larger than ${MAX_MB} MB.`,
    { key: 'err.upload.tooLarge', params: { mb: MAX_MB } },
    413,
  );
const empty = () => new UploadRefused('The image is empty.', { key: 'err.decode.empty', params: {} }, 400);

export function uploadsDir(home: string): string {
  return path.join(home, 'uploads');
}

/** The stored file's extension for bytes starting with `head`, or a refusal that never quotes them. */
function extensionFor(head: Uint8Array): string {
  const format = sniffFormat(head.subarray(0, HEAD_BYTES));
  const ext = format ? EXTENSION_OF[format] : undefined;
  if (ext) return ext;
  // Worded by the UI in the user's language (the same words as a photo that cannot be decoded).
  throw new UploadRefused(
    'That file is not an image Visage can read (JPEG, PNG, WebP, AVIF, GIF, TIFF).',
    { key: 'err.decode.unsupported', params: {} },
    400,
  );
}

async function prune(dir: string, now: number): Promise<void> {
  const kept: { file: string; mtimeMs: number }[] = [];
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    try {
      const { mtimeMs } = await stat(file);
      if (now - mtimeMs > KEEP_MS) await unlink(file);
      // A partial file is another upload in progress (or one a killed process left: stale after an hour).
      else if (!name.endsWith(PARTIAL)) kept.push({ file, mtimeMs });
    } catch {
      // Already gone: another upload pruned it.
    }
  }
  kept.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file } of kept.slice(MAX_FILES - 1)) await unlink(file).catch(() => undefined);
}

/** A fresh random name in the uploads folder (created if needed), after pruning old uploads. */
async function newUploadName(home: string, now: number): Promise<string> {
  const dir = uploadsDir(home);
  await mkdir(dir, { recursive: true });
  await prune(dir, now);
  return path.join(dir, randomBytes(12).toString('hex'));
}

/** Stores a base64 upload (the desktop app's app.uploadImage); the name is random, the extension sniffed. */
export async function storeUpload(home: string, base64: string, now = Date.now()): Promise<string> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw empty();
  if (bytes.length > MAX_UPLOAD_BYTES) throw tooLarge();
  const file = (await newUploadName(home, now)) + extensionFor(bytes);
  await writeFile(file, bytes);
  return file;
}

let inFlight = 0;

/**
 * Streams an upload's raw bytes (web mode's request body) into the uploads folder. `declaredBytes` (the
 * Content-Length, when sent) is checked before reading anything. The body is read a chunk at a time and
 * each chunk written before the next is read, so memory stays at a chunk whatever the size. A refusal
 * leaves the rest of `body` unread (the caller answers and closes); an error or abort removes the file.
 */
export async function receiveUpload(
  home: string,
  body: Readable,
  declaredBytes?: number,
  now = Date.now(),
): Promise<string> {
  if (declaredBytes !== undefined && declaredBytes > MAX_UPLOAD_BYTES) throw tooLarge();
  if (inFlight >= UPLOADS_AT_ONCE) {
    throw new UploadRefused(
      'Several uploads are already running; try again in a moment.',
      { key: 'err.upload.busy', params: {} },
      503,
    );
  }
  inFlight++;
  try {
    return await streamToFile(home, body, now, declaredBytes);
  } finally {
    inFlight--;
  }
}

async function streamToFile(
  home: string,
  body: Readable,
  now: number,
  declaredBytes?: number,
): Promise<string> {
  // destroyOnReturn: false, so a refusal leaves the socket open for the answer.
  const chunks = body.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  // The head first: nothing touches the disk before it is known to be an image.
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  // A body shorter than the sniffed head ends inside this loop: with a declared length, stop when it has
  // all arrived rather than wait for the iterator's end, which an HTTP request body shorter than one read
  // did not deliver here (a 26-byte non-image left the request hanging; test/e2e app-flow).
  const complete = () => declaredBytes !== undefined && size >= declaredBytes;
  while (size < HEAD_BYTES && !complete()) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  if (complete()) ended = true;
  if (size === 0) throw empty();
  if (size > MAX_UPLOAD_BYTES) throw tooLarge();
  const first = Buffer.concat(head);
  const ext = extensionFor(first);
  const base = await newUploadName(home, now);
  const partial = base + PARTIAL;
  const fh = await open(partial, 'wx', 0o600);
  let stored = false;
  try {
    await fh.write(first);
    while (!ended) {
      const next = await chunks.next();
      if (next.done) break;
      size += next.value.length;
      if (size > MAX_UPLOAD_BYTES) throw tooLarge();
      await fh.write(next.value);
    }
    await fh.close();
    await rename(partial, base + ext);
    stored = true;
    return base + ext;
  } finally {
    if (!stored) {
      await fh.close().catch(() => undefined);
      await unlink(partial).catch(() => undefined);
    }
  }
}
