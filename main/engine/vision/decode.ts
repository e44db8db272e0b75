/**
 * Photo decoding for the face pipeline, with sharp (libvips). One decode per photo: EXIF orientation
 * applied, first frame of animations, any colour space (grey, CMYK, 16-bit, alpha) brought to 8-bit
 * sRGB, and the result capped at `maxPixels` with shrink-on-load, so a 48-MP photo never lives in
 * memory at full size. Faces are detected, landmarked and aligned on this one raster; boxes are mapped
 * back to full-resolution oriented pixels by `scale`.
 * Every failure is a DecodeError with a reason a scan can record and show (bad input never stops a
 * scan): the header is checked before any pixel is decoded, so a decompression bomb fails in
 * milliseconds.
 */
import { open, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { UserError } from '../../api/contract';
import type { RgbRaster } from './raster';
import { orientExplicitly, swapsAxes } from './orient';

export type DecodeFailure =
  'missing' | 'empty' | 'unreadable' | 'unsupported' | 'truncated' | 'corrupt' | 'too-large';

/** Bad input, not a bug: a UserError, so the CLI exits 2 (3 when missing) and the web server answers 400. */
export class DecodeError extends UserError {
  constructor(
    readonly reason: DecodeFailure,
    readonly file: string,
    detail: string,
  ) {
    // The UI words the reason (never the detail: it holds paths, hex bytes and libvips text).
    super(detail, reason === 'missing' ? 'not_found' : 'bad_request', {
      key: `err.decode.${reason}`,
      params: {},
    });
    this.name = 'DecodeError';
  }
}

export interface DecodeOptions {
  /** Cap on the decoded raster's pixels (it is downscaled to fit). Default 6 MP. */
  maxPixels?: number;
  /** Files whose header declares more pixels are refused before decoding. Default 200 MP. */
  maxInputPixels?: number;
  /** libvips gives up after this long (pathological files). Default 60 s. */
  timeoutSeconds?: number;
  /**
   * The scale of the full-size photo the caller's plan needs at most (the face pipeline: the finest
   * detection level). The raster is shrunk to it in the same decode when that leaves at least
   * PLAN_FLOOR_PIXELS (landmarks and alignment keep their detail on smaller photos). Default 1.
   */
  planScale?: number;
  /**
   * Orientation 1..8 to apply instead of the file's own EXIF tag (an XMP sidecar's tiff:Orientation,
   * [Note: sidecar orientation]). Default: the EXIF tag.
   */
  orientation?: number;
}

export interface DecodedPhoto {
  /** Oriented full-resolution size (EXIF rotation applied). */
  width: number;
  height: number;
  /** EXIF orientation tag 1..8 (1 when absent). */
  orientation: number;
  /** sharp's format name: jpeg, png, webp, gif, tiff, heif, … */
  format: string;
  /** The oriented photo as 8-bit RGB, at most maxPixels. */
  image: RgbRaster;
  /** image pixels per full-resolution pixel (≤ 1). */
  scale: number;
  /** Damage libvips decoded around (e.g. corrupt JPEG scan data): the photo is usable but may be wrong. */
  warnings: string[];
}

export const DEFAULT_MAX_PIXELS = 6_000_000;
export const DEFAULT_MAX_INPUT_PIXELS = 200_000_000;
/** planScale never shrinks a raster below this many pixels. */
export const PLAN_FLOOR_PIXELS = 3_000_000;

/** What the first bytes say the file is; null when no format we know. */
export function sniffFormat(head: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    return /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand) ? 'heic' : 'heif';
  }
  if (ascii(0, 2) === 'BM') return 'bmp';
  return null;
}

async function readHead(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const head = new Uint8Array(32);
    const { bytesRead } = await fh.read(head, 0, 32, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function fsFailure(file: string, err: unknown): DecodeError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new DecodeError('missing', file, `file not found: ${file}`);
  if (code === 'EISDIR') return new DecodeError('unreadable', file, `not a file (a directory): ${file}`);
  if (code === 'EACCES' || code === 'EPERM')
    return new DecodeError('unreadable', file, `permission denied: ${file}`);
  return new DecodeError('unreadable', file, `cannot read ${file}: ${(err as Error).message}`);
}

const lastLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n').pop() ?? '';

/**
 * The line of a strict decode's failure that names the damage: libvips ends with "Warning treated as error
 * due to failOn setting", and the line before it says what was wrong (e.g. "Corrupt JPEG data").
 */
function warningLine(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l.trim());
  const named = lines.filter((l) => !/treated as error|failOn/i.test(l));
  return named.pop() ?? lines.pop() ?? 'damaged image data';
}

/** Classifies a sharp/libvips failure on a file whose signature we recognised. */
function decodeFailure(file: string, format: string, err: unknown): DecodeError {
  const msg = lastLine(err);
  if (format === 'heic') {
    return new DecodeError(
      'unsupported',
      file,
      `HEIC (HEVC) photos cannot be decoded by this build of sharp/libvips (${msg}); convert it to JPEG`,
    );
  }
  if (/premature end|truncat|unexpected end|end of (file|data)|short read/i.test(msg)) {
    return new DecodeError('truncated', file, `truncated ${format} file (${msg})`);
  }
  if (/timeout/i.test(msg)) return new DecodeError('corrupt', file, `decoding timed out (${msg})`);
  return new DecodeError('corrupt', file, `corrupt ${format} file (${msg})`);
}

/**
 * Whether a JPEG lacks its end-of-image marker near the end of the file: the file was cut short. libvips
 * keeps its error text in a per-process buffer, so with decodes overlapping in one worker ([Note: decode
 * overlap]) a failure can arrive as "Unknown error"; the bytes themselves still tell a cut-off file.
 */
async function jpegCutShort(file: string, format: string): Promise<boolean> {
  if (format !== 'jpeg') return false;
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      const n = Math.min(size, 64);
      const tail = Buffer.alloc(n);
      await fh.read(tail, 0, n, size - n);
      for (let i = 0; i + 1 < n; i++) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
      return true;
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

const asTruncated = (e: DecodeError, format: string) =>
  new DecodeError('truncated', e.file, `truncated ${format} file (no end-of-image marker)`);

/** Decodes a photo for face analysis; throws DecodeError with a reason on any bad input. */
export async function decodePhoto(file: string, opts: DecodeOptions = {}): Promise<DecodedPhoto> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxInput = opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  let head: Uint8Array;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw new DecodeError('unreadable', file, `not a file (a directory): ${file}`);
    if (!st.isFile()) throw new DecodeError('unreadable', file, `not a regular file: ${file}`);
    if (st.size === 0) throw new DecodeError('empty', file, `empty file (0 bytes): ${file}`);
    head = await readHead(file);
  } catch (err) {
    throw err instanceof DecodeError ? err : fsFailure(file, err);
  }
  const format = sniffFormat(head);
  // Never quote the file's bytes: the message travels to clients, and the file may not be an image at all.
  if (!format) throw new DecodeError('unsupported', file, 'not a recognised image format');
  if (format === 'bmp') throw new DecodeError('unsupported', file, 'BMP images are not supported');

  // The header alone: refuse bombs before libvips allocates anything for the pixels.
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw decodeFailure(file, format, err);
  }
  const w0 = meta.width;
  const h0 = meta.height;
  if (w0 * h0 > maxInput) {
    const mp = (n: number) => `${Math.round(n / 1e6)} MP`;
    throw new DecodeError(
      'too-large',
      file,
      `image too large: ${w0}x${h0} (${mp(w0 * h0)}; the limit is ${mp(maxInput)})`,
    );
  }
  const override = opts.orientation !== undefined && opts.orientation >= 1 && opts.orientation <= 8;
  const orientation = override ? opts.orientation! : (meta.orientation ?? 1);
  const width = override ? (swapsAxes(orientation) ? h0 : w0) : meta.autoOrient.width;
  const height = override ? (swapsAxes(orientation) ? w0 : h0) : meta.autoOrient.height;
  const full = width * height;
  const planned = Math.max(opts.planScale ?? 1, Math.sqrt(PLAN_FLOOR_PIXELS / full));
  const fit = Math.min(1, Math.sqrt(maxPixels / full), planned);
  const tw = Math.max(1, Math.round(width * fit));
  const th = Math.max(1, Math.round(height * fit));

  const decode = (failOn: 'warning' | 'truncated') => {
    const input = sharp(file, { limitInputPixels: maxInput, failOn, pages: 1, page: 0 }).timeout({
      seconds: opts.timeoutSeconds ?? 60,
    });
    return (override ? orientExplicitly(input, orientation) : input.rotate())
      .resize(tw, th, { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  };
  // Strict first: libvips reports damage it can decode around (corrupt JPEG scan data) only as a warning,
  // so a clean decode proves there was none. If the strict decode fails, the tolerant one decides: it
  // either fails (the photo's reason) or succeeds, and the strict failure is kept as the photo's warning.
  const warnings: string[] = [];
  let out: Awaited<ReturnType<typeof decode>>;
  try {
    out = await decode('warning');
  } catch (strict) {
    if (format === 'heic' || /timeout/i.test(lastLine(strict))) throw decodeFailure(file, format, strict);
    try {
      out = await decode('truncated');
    } catch (err) {
      // Whichever attempt named the damage better (libjpeg may say "premature end" only when strict).
      const tolerant = decodeFailure(file, format, err);
      const first = decodeFailure(file, format, strict);
      const named = tolerant.reason !== 'truncated' && first.reason === 'truncated' ? first : tolerant;
      throw named.reason === 'corrupt' && (await jpegCutShort(file, format))
        ? asTruncated(named, format)
        : named;
    }
    warnings.push(`decoder warning: ${warningLine(strict)}`);
  }
  const { data, info } = out;
  if (info.channels !== 3) {
    throw decodeFailure(file, format, new Error(`unexpected ${info.channels}-channel output`));
  }
  const image: RgbRaster = {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
  return { width, height, orientation, format: meta.format, image, scale: info.width / width, warnings };
}

/** A rectangle of the oriented full-resolution photo, in whole pixels. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The pixels of `rect` (oriented full-resolution coordinates, clipped to the photo) at full resolution,
 * for faces too small in the working raster ([Note: face detail]). Same colour handling as decodePhoto;
 * libvips decodes only as far down the photo as the rectangle reaches.
 */
export async function decodeRegion(
  file: string,
  photo: Pick<DecodedPhoto, 'width' | 'height'>,
  rect: PixelRect,
  opts: DecodeOptions = {},
): Promise<{ image: RgbRaster; rect: PixelRect }> {
  const left = Math.max(0, Math.floor(rect.left));
  const top = Math.max(0, Math.floor(rect.top));
  const clipped = {
    left,
    top,
    width: Math.max(1, Math.min(photo.width, Math.ceil(rect.left + rect.width)) - left),
    height: Math.max(1, Math.min(photo.height, Math.ceil(rect.top + rect.height)) - top),
  };
  const override = opts.orientation !== undefined && opts.orientation >= 1 && opts.orientation <= 8;
  try {
    const input = sharp(file, {
      limitInputPixels: opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS,
      failOn: 'truncated',
      pages: 1,
      page: 0,
    }).timeout({ seconds: opts.timeoutSeconds ?? 60 });
    // The same orientation as the working raster (a sidecar's, when it declares one).
    const { data, info } = await (override ? orientExplicitly(input, opts.orientation!) : input.rotate())
      .extract(clipped)
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels}-channel output`);
    const image = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    };
    return { image, rect: clipped };
  } catch (err) {
    throw decodeFailure(file, sniffFormat(await readHead(file)) ?? 'image', err);
  }
}
