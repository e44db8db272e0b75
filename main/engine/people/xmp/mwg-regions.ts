/**
 * MWG face regions (mwg-rs:RegionInfo, as digiKam, Lightroom and exiftool write them) in an XMP packet:
 * parse them into normalised boxes on the stored image, and write them as an rdf:Description block.
 * Areas are checked: a region with no unit is read as normalised only when it lies within the image, and
 * pixel areas need AppliedToDimensions; regions that fail are returned as `skipped` with a reason.
 */
import { checkedBox, clipBox, type NormBox } from './orientation';
import { escapeXml, fmt, listItems, NS, num, parseXmpDoc, struct, text } from './xmp-doc';

export { NS } from './xmp-doc';

export interface MwgRegion {
  name: string | null;
  /** Face, Pet, Focus, BarCode … (null when the writer left it out). */
  type: string | null;
  /** On the stored image, normalised, top-left corner (MWG itself stores the centre). */
  box: NormBox;
}

export interface SkippedRegion {
  name: string | null;
  reason: string;
}

export interface MwgRegionInfo {
  /** Stored-image dimensions the regions were applied to, if given. */
  appliedTo: { w: number; h: number } | null;
  regions: MwgRegion[];
  /** Regions that could not be used, with why. */
  skipped?: SkippedRegion[];
}

/** The first mwg-rs:Regions struct of a parsed packet; null when there is none. */
export function mwgFromDoc(doc: Document): MwgRegionInfo | null {
  const regions = doc.getElementsByTagNameNS(NS.mwgRs, 'Regions')[0];
  if (!regions) return null;
  const dims = struct(regions, NS.mwgRs, 'AppliedToDimensions');
  const dw = dims ? num(dims, NS.stDim, 'w') : null;
  const dh = dims ? num(dims, NS.stDim, 'h') : null;
  const appliedTo = dw !== null && dh !== null && dw > 0 && dh > 0 ? { w: dw, h: dh } : null;
  const list = struct(regions, NS.mwgRs, 'RegionList');
  const out: MwgRegion[] = [];
  const skipped: SkippedRegion[] = [];
  for (const li of list ? listItems(list) : []) {
    const name = text(li, NS.mwgRs, 'Name');
    const type = text(li, NS.mwgRs, 'Type');
    const area = struct(li, NS.mwgRs, 'Area');
    const [cx, cy, w, h] = area ? (['x', 'y', 'w', 'h'] as const).map((k) => num(area, NS.stArea, k)) : [];
    if (!area || cx == null || cy == null || w == null || h == null) {
      skipped.push({ name, reason: 'no area (x, y, w, h)' });
      continue;
    }
    const unit = text(area, NS.stArea, 'unit');
    let box: NormBox = { x: cx - w / 2, y: cy - h / 2, w, h };
    if (unit === 'pixel') {
      if (!appliedTo) {
        skipped.push({ name, reason: 'a pixel area without AppliedToDimensions' });
        continue;
      }
      box = {
        x: box.x / appliedTo.w,
        y: box.y / appliedTo.h,
        w: box.w / appliedTo.w,
        h: box.h / appliedTo.h,
      };
    } else if (unit !== null && unit !== 'normalized') {
      skipped.push({ name, reason: `unknown area unit "${unit}"` });
      continue;
    }
    const checked = checkedBox(box);
    if ('reason' in checked) skipped.push({ name, reason: checked.reason });
    else out.push({ name, type, box: checked.box });
  }
  return { appliedTo, regions: out, skipped };
}

/** Parses the first mwg-rs:Regions struct of an XMP packet; null when there is none. Throws BadXmpError. */
export function parseMwgRegions(xmp: string): MwgRegionInfo | null {
  return mwgFromDoc(parseXmpDoc(xmp));
}

/** The mwg-rs:Regions element (stored-image normalised boxes clipped to the image, MWG centre form). */
export function mwgRegionsXml(info: MwgRegionInfo, indent = '  ', depth = 3): string {
  const i = (n: number): string => indent.repeat(depth + n);
  const lines = [`${i(0)}<mwg-rs:Regions rdf:parseType="Resource">`];
  if (info.appliedTo)
    lines.push(
      `${i(1)}<mwg-rs:AppliedToDimensions rdf:parseType="Resource">`,
      `${i(2)}<stDim:w>${fmt(info.appliedTo.w)}</stDim:w>`,
      `${i(2)}<stDim:h>${fmt(info.appliedTo.h)}</stDim:h>`,
      `${i(2)}<stDim:unit>pixel</stDim:unit>`,
      `${i(1)}</mwg-rs:AppliedToDimensions>`,
    );
  if (info.regions.length === 0) {
    // No regions: the struct alone says so (an empty rdf:Bag draws a warning from exiftool -validate).
    lines.push(`${i(0)}</mwg-rs:Regions>`);
    return lines.join('\n');
  }
  lines.push(`${i(1)}<mwg-rs:RegionList>`, `${i(2)}<rdf:Bag>`);
  for (const r of info.regions) {
    const b = clipBox(r.box);
    lines.push(`${i(3)}<rdf:li rdf:parseType="Resource">`);
    if (r.name !== null) lines.push(`${i(4)}<mwg-rs:Name>${escapeXml(r.name)}</mwg-rs:Name>`);
    if (r.type !== null) lines.push(`${i(4)}<mwg-rs:Type>${escapeXml(r.type)}</mwg-rs:Type>`);
    lines.push(
      `${i(4)}<mwg-rs:Area rdf:parseType="Resource">`,
      `${i(5)}<stArea:x>${fmt(b.x + b.w / 2)}</stArea:x>`,
      `${i(5)}<stArea:y>${fmt(b.y + b.h / 2)}</stArea:y>`,
      `${i(5)}<stArea:w>${fmt(b.w)}</stArea:w>`,
      `${i(5)}<stArea:h>${fmt(b.h)}</stArea:h>`,
      `${i(5)}<stArea:unit>normalized</stArea:unit>`,
      `${i(4)}</mwg-rs:Area>`,
      `${i(3)}</rdf:li>`,
    );
  }
  lines.push(`${i(2)}</rdf:Bag>`, `${i(1)}</mwg-rs:RegionList>`, `${i(0)}</mwg-rs:Regions>`);
  return lines.join('\n');
}

/** An rdf:Description holding one mwg-rs:Regions struct. */
export function mwgDescription(info: MwgRegionInfo, indent = '  '): string {
  return [
    `${indent.repeat(2)}<rdf:Description rdf:about=""`,
    `${indent.repeat(3)}xmlns:mwg-rs="${NS.mwgRs}"`,
    `${indent.repeat(3)}xmlns:stArea="${NS.stArea}"`,
    `${indent.repeat(3)}xmlns:stDim="${NS.stDim}">`,
    mwgRegionsXml(info, indent),
    `${indent.repeat(2)}</rdf:Description>`,
  ].join('\n');
}

/** A complete XMP packet holding only face regions (a new sidecar). */
export function mwgPacket(info: MwgRegionInfo): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    `<x:xmpmeta xmlns:x="${NS.x}" x:xmptk="Visage">`,
    `  <rdf:RDF xmlns:rdf="${NS.rdf}">`,
    mwgDescription(info),
    '  </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
    '',
  ].join('\n');
}
