/**
 * Microsoft Photo regions (MP:RegionInfo, written by Windows Photo Gallery, digiKam and exiv2 next to the
 * MWG ones). A rectangle is "x, y, w, h", normalised, top-left corner, and — unlike MWG — on the image as
 * displayed (orientation applied): the corpus's portrait.jpg and portrait-orientation-6.jpg hold the same
 * MP rectangles and different MWG areas. A region may carry only a name (a person in the photo, no box).
 */
import { checkedBox, clipBox, type NormBox } from './orientation';
import type { SkippedRegion } from './mwg-regions';
import { escapeXml, fmt, listItems, NS, struct, text } from './xmp-doc';

export interface MpRegion {
  name: string | null;
  /** Displayed-image normalised box; null for a name without a rectangle. */
  box: NormBox | null;
}

/** The MP regions of a parsed packet; null when it has no MP:RegionInfo. */
export function mpFromDoc(doc: Document): { regions: MpRegion[]; skipped: SkippedRegion[] } | null {
  const info = doc.getElementsByTagNameNS(NS.mp, 'RegionInfo')[0];
  if (!info) return null;
  const list = struct(info, NS.mpri, 'Regions');
  const regions: MpRegion[] = [];
  const skipped: SkippedRegion[] = [];
  for (const li of list ? listItems(list) : []) {
    const name = text(li, NS.mpreg, 'PersonDisplayName');
    const rect = text(li, NS.mpreg, 'Rectangle');
    if (rect === null) {
      regions.push({ name, box: null });
      continue;
    }
    const v = rect.split(',').map((s) => Number(s.trim()));
    if (v.length !== 4 || !v.every(Number.isFinite)) {
      skipped.push({ name, reason: `unreadable rectangle "${rect}"` });
      continue;
    }
    const checked = checkedBox({ x: v[0]!, y: v[1]!, w: v[2]!, h: v[3]! });
    if ('reason' in checked) skipped.push({ name, reason: checked.reason });
    else regions.push({ name, box: checked.box });
  }
  return { regions, skipped };
}

/** The MP:RegionInfo element for these regions (boxes clipped to the image). */
export function mpRegionInfoXml(regions: MpRegion[], indent = '  ', depth = 3): string {
  const i = (n: number): string => indent.repeat(depth + n);
  const lines = [
    `${i(0)}<MP:RegionInfo rdf:parseType="Resource">`,
    `${i(1)}<MPRI:Regions>`,
    `${i(2)}<rdf:Bag>`,
  ];
  for (const r of regions) {
    lines.push(`${i(3)}<rdf:li rdf:parseType="Resource">`);
    if (r.name !== null)
      lines.push(`${i(4)}<MPReg:PersonDisplayName>${escapeXml(r.name)}</MPReg:PersonDisplayName>`);
    if (r.box) {
      const b = clipBox(r.box);
      lines.push(`${i(4)}<MPReg:Rectangle>${[b.x, b.y, b.w, b.h].map(fmt).join(', ')}</MPReg:Rectangle>`);
    }
    lines.push(`${i(3)}</rdf:li>`);
  }
  lines.push(`${i(2)}</rdf:Bag>`, `${i(1)}</MPRI:Regions>`, `${i(0)}</MP:RegionInfo>`);
  return lines.join('\n');
}
