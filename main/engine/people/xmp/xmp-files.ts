/**
 * XMP face regions on disk. [Note: originals are never modified] Visage only ever writes sidecars.
 * Reading ([Note: sidecar names] for the order): every sidecar of the photo, in read order, then — only
 * when no sidecar has a region list (an empty list counts: Visage writes one when it removed the last
 * name) — the XMP embedded in the photo (a sidecar is the newer copy: digiKam and
 * Lightroom write there). Within a packet MWG regions come first, and Microsoft MP regions add the faces
 * MWG lacks; across sidecars an earlier file wins where two regions overlap.
 * [Note: bad sidecars] A sidecar that is empty, truncated or not XMP is a warning on its photo: it is
 * skipped when reading (the photo's other sources still count) and never overwritten when writing.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exifr from 'exifr';
import { iou } from '../../catalog/faces-repo';
import { existingSidecars, sidecarOrientation } from '../../library/sidecars';
import { mpFromDoc } from './mp-regions';
import { mwgFromDoc, type SkippedRegion } from './mwg-regions';
import { storedToOriented, type NormBox } from './orientation';
import { BadXmpError, parseXmpDoc } from './xmp-doc';

export { sidecarCandidates } from '../../library/sidecars';

export interface XmpFaceRegion {
  name: string | null;
  type: string | null;
  /** Normalised box on the photo as displayed (its orientation applied). */
  box: NormBox;
}

export interface XmpRegions {
  /** Where the regions came from (null: no source held any). */
  source: 'sidecar' | 'embedded' | null;
  files: string[];
  orientation: number | null;
  regions: XmpFaceRegion[];
  /** Regions that could not be used (no area, outside the image, a name without a box), with why. */
  skipped: (SkippedRegion & { file: string })[];
  /** Sidecars that could not be read, e.g. "photo.jpg.xmp: empty file". */
  warnings: string[];
}

/** The XMP packet embedded in a photo and its EXIF orientation. */
export async function embeddedXmp(
  photoPath: string,
): Promise<{ xmp: string | null; orientation: number | null }> {
  try {
    const out = (await exifr.parse(photoPath, {
      tiff: true,
      xmp: { parse: false },
      mergeOutput: false,
      translateValues: false,
    })) as { xmp?: unknown; ifd0?: { Orientation?: unknown } } | undefined;
    const o = out?.ifd0?.Orientation;
    return {
      xmp: typeof out?.xmp === 'string' ? mainPacket(out.xmp) : null,
      orientation: typeof o === 'number' && o >= 1 && o <= 8 ? o : null,
    };
  } catch {
    return { xmp: null, orientation: null }; // a format exifr cannot read has no embedded XMP for us
  }
}

/**
 * The main packet of what exifr returns as a photo's XMP: a UTF-16 packet arrives with its NUL bytes (kept
 * ASCII), and a photo with Extended XMP (several APP1 segments) arrives as the extension's chunks joined
 * to the main packet, so the one complete x:xmpmeta element is taken out.
 */
function mainPacket(raw: string): string {
  const text = raw.includes('\u0000') ? raw.split('\u0000').join('') : raw;
  const whole = /<x:xmpmeta[\s>][\s\S]*?<\/x:xmpmeta>/g;
  const packets = text.match(whole) ?? [];
  if (packets.length === 1 && text.trim().startsWith('<?xpacket')) return text;
  return packets.find((p) => p.includes('RegionInfo')) ?? packets[0] ?? text;
}

/** The orientation Visage uses for a photo: a sidecar's, else EXIF's ([Note: sidecar orientation]). */
export async function photoOrientation(photoPath: string): Promise<number | null> {
  return (await sidecarOrientation(photoPath)) ?? (await embeddedXmp(photoPath)).orientation;
}

const OVERLAP = 0.5;

/** The displayed-image face regions of one parsed packet: MWG, plus MP regions MWG has no match for. */
export function packetRegions(
  doc: Document,
  orientation: number | null,
): { regions: XmpFaceRegion[]; skipped: SkippedRegion[]; declared: boolean } {
  const mwg = mwgFromDoc(doc);
  const mp = mpFromDoc(doc);
  const regions: XmpFaceRegion[] = (mwg?.regions ?? []).map((r) => ({
    name: r.name,
    type: r.type,
    box: storedToOriented(r.box, orientation),
  }));
  const skipped = [...(mwg?.skipped ?? []), ...(mp?.skipped ?? [])];
  for (const r of mp?.regions ?? []) {
    if (r.box === null) {
      // A person listed without a rectangle: nothing to put on a face (MWG may hold it with a box).
      if (!regions.some((m) => m.name === r.name))
        skipped.push({ name: r.name, reason: 'a name without an area' });
      continue;
    }
    const box = r.box;
    if (!regions.some((m) => iou(m.box, box) >= OVERLAP)) regions.push({ name: r.name, type: 'Face', box });
  }
  // A packet with a region list, even an empty one, speaks for the photo's regions (names removed there
  // must not come back from the embedded XMP).
  return { regions, skipped, declared: mwg !== null || mp !== null };
}

/**
 * The face regions recorded for a photo in displayed-image coordinates. `orientation` is the photo's as
 * indexed (default: worked out as the indexer does). Never throws for bad XMP: see `warnings`.
 */
export async function readXmpRegions(photoPath: string, orientation?: number | null): Promise<XmpRegions> {
  const inside = await embeddedXmp(photoPath);
  const o =
    orientation === undefined ? ((await sidecarOrientation(photoPath)) ?? inside.orientation) : orientation;
  const out: XmpRegions = { source: null, files: [], orientation: o, regions: [], skipped: [], warnings: [] };
  for (const file of await existingSidecars(photoPath)) {
    let found;
    try {
      found = packetRegions(parseXmpDoc(await readFile(file, 'utf8')), o);
    } catch (err) {
      out.warnings.push(`${path.basename(file)}: ${describeXmpError(err)}`);
      continue;
    }
    out.skipped.push(...found.skipped.map((s) => ({ ...s, file })));
    const fresh = found.regions.filter((r) => !out.regions.some((m) => iou(m.box, r.box) >= OVERLAP));
    if (found.declared) {
      out.source = 'sidecar';
      out.files.push(file);
    }
    out.regions.push(...fresh);
  }
  if (out.source === null && inside.xmp) {
    try {
      const found = packetRegions(parseXmpDoc(inside.xmp), o);
      out.skipped.push(...found.skipped.map((s) => ({ ...s, file: photoPath })));
      if (found.declared) {
        out.source = 'embedded';
        out.files.push(photoPath);
        out.regions.push(...found.regions);
      }
    } catch (err) {
      out.warnings.push(`embedded XMP: ${describeXmpError(err)}`);
    }
  }
  return out;
}

export function describeXmpError(err: unknown): string {
  if (err instanceof BadXmpError) return err.message;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

/** Writes a file atomically (temporary file in the same folder, then rename). */
export async function writeAtomically(file: string, text: string): Promise<string> {
  const tmp = `${file}.visage-${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
  return file;
}
