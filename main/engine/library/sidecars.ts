/**
 * A photo's XMP sidecar files and the orientation they declare.
 * [Note: sidecar names] Sidecars are read in this order: `photo.jpg.xmp` (digiKam, darktable, exiftool's
 * `%f.%e.xmp`, and the name Visage creates), then `photo.xmp` (Lightroom, Capture One, exiftool's
 * `%f.xmp`), each also with an upper-case `.XMP`. Visage writes into the first that exists, and creates
 * `photo.jpg.xmp` when none does, so the tool that made a sidecar keeps reading the same file.
 * [Note: sidecar orientation] A `tiff:Orientation` declared in a sidecar overrides the photo's EXIF tag (a
 * rotation made in digiKam or Lightroom is recorded there and not in the file); the first sidecar in read
 * order that declares one wins. The indexer decodes with it and stores it on the photo, so pixels, face
 * boxes, thumbnails and XMP regions all use one orientation.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export function sidecarCandidates(photoPath: string): string[] {
  const ext = path.extname(photoPath);
  const base = photoPath.slice(0, photoPath.length - ext.length);
  const all = [`${photoPath}.xmp`, `${photoPath}.XMP`, `${base}.xmp`, `${base}.XMP`];
  return ext === '' ? [...new Set(all)] : all;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The sidecars that exist, in read order. */
export async function existingSidecars(photoPath: string): Promise<string[]> {
  const out: string[] = [];
  for (const file of sidecarCandidates(photoPath)) if (await isFile(file)) out.push(file);
  return out;
}

/** The tiff:Orientation an XMP packet declares (attribute or element form), or null. */
export function declaredOrientation(xmp: string): number | null {
  const m = /\btiff:Orientation\s*=\s*["']\s*(\d+)\s*["']|<tiff:Orientation\s*>\s*(\d+)\s*</.exec(xmp);
  const v = m ? Number(m[1] ?? m[2]) : NaN;
  return v >= 1 && v <= 8 ? v : null;
}

/** The orientation the photo's sidecars declare, or null (also when a sidecar cannot be read). */
export async function sidecarOrientation(photoPath: string): Promise<number | null> {
  for (const file of await existingSidecars(photoPath)) {
    try {
      const o = declaredOrientation(await readFile(file, 'utf8'));
      if (o !== null) return o;
    } catch {
      // An unreadable sidecar is reported by the XMP read ([Note: bad sidecars]); it declares nothing here.
    }
  }
  return null;
}
