/**
 * XMP face regions on disk. Reading: the sidecar (`photo.jpg.xmp`, as digiKam and darktable name it, or
 * `photo.xmp`, as Lightroom does) wins over the XMP embedded in the photo. Writing: only ever a sidecar
 * `photo.jpg.xmp` — [Note: originals are never modified] — replacing just its face regions and keeping
 * everything else in it, written to a temporary file and renamed so a crash never leaves half a file.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import exifr from 'exifr';
import {
  mwgDescription,
  mwgPacket,
  NS,
  parseMwgRegions,
  type MwgRegion,
  type MwgRegionInfo,
} from './mwg-regions';
import { storedToOriented, type NormBox } from './orientation';

export interface XmpFaceRegion {
  name: string | null;
  type: string | null;
  /** Normalised box on the photo as displayed (EXIF orientation applied). */
  box: NormBox;
}

export interface XmpRegions {
  source: 'sidecar' | 'embedded';
  file: string;
  orientation: number | null;
  regions: XmpFaceRegion[];
}

export function sidecarCandidates(photoPath: string): string[] {
  const ext = path.extname(photoPath);
  const base = photoPath.slice(0, photoPath.length - ext.length);
  return [`${photoPath}.xmp`, `${photoPath}.XMP`, `${base}.xmp`, `${base}.XMP`];
}

/** The sidecar Visage writes to: `photo.jpg.xmp` (the full file name plus .xmp). */
export const sidecarFor = (photoPath: string): string => `${photoPath}.xmp`;

async function embedded(photoPath: string): Promise<{ xmp: string | null; orientation: number | null }> {
  try {
    const out = (await exifr.parse(photoPath, {
      tiff: true,
      xmp: { parse: false },
      mergeOutput: false,
      translateValues: false,
    })) as { xmp?: unknown; ifd0?: { Orientation?: unknown } } | undefined;
    const o = out?.ifd0?.Orientation;
    return {
      xmp: typeof out?.xmp === 'string' ? out.xmp : null,
      orientation: typeof o === 'number' && o >= 1 && o <= 8 ? o : null,
    };
  } catch {
    return { xmp: null, orientation: null }; // a format exifr cannot read has no embedded XMP for us
  }
}

function sidecarOrientation(xmp: string): number | null {
  const m = /tiff:Orientation\s*(?:=\s*["']|>)\s*(\d)/.exec(xmp);
  return m ? Number(m[1]) : null;
}

const toDisplayed = (regions: MwgRegion[], orientation: number | null): XmpFaceRegion[] =>
  regions.map((r) => ({ name: r.name, type: r.type, box: storedToOriented(r.box, orientation) }));

/**
 * The face regions recorded for a photo (sidecar first, then embedded), in displayed-image coordinates.
 * Null when there are none. Throws on an unreadable or malformed sidecar (the caller reports it).
 */
export async function readXmpRegions(photoPath: string): Promise<XmpRegions | null> {
  const inside = await embedded(photoPath);
  for (const file of sidecarCandidates(photoPath)) {
    if (!existsSync(file)) continue;
    const xmp = await readFile(file, 'utf8');
    const info = parseMwgRegions(xmp);
    if (!info) continue;
    const orientation = inside.orientation ?? sidecarOrientation(xmp);
    return { source: 'sidecar', file, orientation, regions: toDisplayed(info.regions, orientation) };
  }
  if (inside.xmp) {
    const info = parseMwgRegions(inside.xmp);
    if (info)
      return {
        source: 'embedded',
        file: photoPath,
        orientation: inside.orientation,
        regions: toDisplayed(info.regions, inside.orientation),
      };
  }
  return null;
}

/** EXIF orientation of a photo (null when it has none). */
export async function readOrientation(photoPath: string): Promise<number | null> {
  return (await embedded(photoPath)).orientation;
}

/** Regions currently in the sidecar Visage writes to (stored-image coordinates), or null. */
export async function readSidecarInfo(
  photoPath: string,
): Promise<{ text: string; info: MwgRegionInfo | null } | null> {
  const file = sidecarFor(photoPath);
  if (!existsSync(file)) return null;
  const text = await readFile(file, 'utf8');
  return { text, info: parseMwgRegions(text) };
}

/** The sidecar text with its face regions replaced by `info` (a new packet when there is no sidecar). */
export function withRegions(existing: string | null, info: MwgRegionInfo): string {
  if (existing === null) return mwgPacket(info);
  const problems: string[] = [];
  const parser = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (m: string) => problems.push(m),
      fatalError: (m: string) => problems.push(m),
    },
  });
  const doc = parser.parseFromString(existing, 'text/xml');
  if (problems.length > 0)
    throw new Error(`The existing sidecar is not valid XMP (${problems[0]}); left untouched`);
  const rdf = doc.getElementsByTagNameNS(NS.rdf, 'RDF')[0];
  if (!rdf) throw new Error('The existing sidecar has no rdf:RDF; left untouched');
  for (const old of Array.from(doc.getElementsByTagNameNS(NS.mwgRs, 'Regions'))) {
    const parent = old.parentNode;
    parent?.removeChild(old);
    // Drop a description we emptied (ours from an earlier write); keep any that still holds something.
    if (parent && parent.nodeType === 1) {
      const d = parent as Element;
      const onlyNs = Array.from(d.attributes).every(
        (a) => a.name.startsWith('xmlns') || a.name === 'rdf:about',
      );
      const hasChildren = Array.from(d.childNodes).some(
        (n) => n.nodeType === 1 || (n.textContent ?? '').trim() !== '',
      );
      if (d.localName === 'Description' && onlyNs && !hasChildren) d.parentNode?.removeChild(d);
    }
  }
  const wrapper = parser.parseFromString(
    `<rdf:RDF xmlns:rdf="${NS.rdf}">\n${mwgDescription(info)}\n</rdf:RDF>`,
    'text/xml',
  );
  const desc = wrapper.getElementsByTagNameNS(NS.rdf, 'Description')[0]!;
  rdf.appendChild(doc.createTextNode('\n'));
  rdf.appendChild(doc.importNode(desc, true));
  rdf.appendChild(doc.createTextNode('\n'));
  return new XMLSerializer().serializeToString(doc);
}

/** Writes a sidecar atomically (temporary file in the same folder, then rename). */
export async function writeSidecar(photoPath: string, text: string): Promise<string> {
  const file = sidecarFor(photoPath);
  const tmp = `${file}.visage-${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
  return file;
}
