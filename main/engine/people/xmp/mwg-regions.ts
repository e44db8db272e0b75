/**
 * MWG face regions (mwg-rs:RegionInfo, as digiKam, Lightroom and exiftool write them) in an XMP packet:
 * parse them into normalised boxes on the stored image, and write them as an rdf:Description block.
 * Parsing is namespace-aware and accepts both RDF spellings of a struct field (an attribute, or a child
 * element, optionally wrapped in rdf:Description), since writers differ.
 */
import { DOMParser } from '@xmldom/xmldom';
import type { NormBox } from './orientation';

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  mwgRs: 'http://www.metadataworkinggroup.com/schemas/regions/',
  stArea: 'http://ns.adobe.com/xmp/sType/Area#',
  stDim: 'http://ns.adobe.com/xap/1.0/sType/Dimensions#',
  x: 'adobe:ns:meta/',
} as const;

export interface MwgRegion {
  name: string | null;
  /** Face, Pet, Focus, BarCode … (null when the writer left it out). */
  type: string | null;
  /** On the stored image, normalised, top-left corner (MWG itself stores the centre). */
  box: NormBox;
}

export interface MwgRegionInfo {
  /** Stored-image dimensions the regions were applied to, if given. */
  appliedTo: { w: number; h: number } | null;
  regions: MwgRegion[];
}

type El = Element;

function childElements(el: El): El[] {
  const out: El[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as El);
  return out;
}

/** The nodes that hold a struct's fields: the element and any rdf:Description inside it. */
function containers(el: El): El[] {
  return [el, ...childElements(el).filter((c) => c.namespaceURI === NS.rdf && c.localName === 'Description')];
}

function field(el: El, ns: string, name: string): El | string | null {
  for (const c of containers(el)) {
    if (c.hasAttributeNS(ns, name)) return c.getAttributeNS(ns, name);
    const child = childElements(c).find((k) => k.namespaceURI === ns && k.localName === name);
    if (child) return child;
  }
  return null;
}

function text(el: El, ns: string, name: string): string | null {
  const f = field(el, ns, name);
  if (f === null) return null;
  if (typeof f === 'string') return f;
  // A language alternative (rdf:Alt) or plain text content.
  const li = f.getElementsByTagNameNS(NS.rdf, 'li')[0];
  return (li ?? f).textContent.trim();
}

function num(el: El, ns: string, name: string): number | null {
  const t = text(el, ns, name);
  if (t === null || t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

function struct(el: El, ns: string, name: string): El | null {
  const f = field(el, ns, name);
  return typeof f === 'string' ? null : f;
}

/** Parses the first mwg-rs:Regions struct of an XMP packet; null when there is none. */
export function parseMwgRegions(xmp: string): MwgRegionInfo | null {
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (m: string) => problems.push(m),
      fatalError: (m: string) => problems.push(m),
    },
  }).parseFromString(xmp, 'text/xml');
  if (problems.length > 0) throw new Error(`Invalid XMP: ${problems[0]}`);
  const regions = doc.getElementsByTagNameNS(NS.mwgRs, 'Regions')[0];
  if (!regions) return null;
  const dims = struct(regions, NS.mwgRs, 'AppliedToDimensions');
  const dw = dims ? num(dims, NS.stDim, 'w') : null;
  const dh = dims ? num(dims, NS.stDim, 'h') : null;
  const appliedTo = dw !== null && dh !== null && dw > 0 && dh > 0 ? { w: dw, h: dh } : null;
  const list = struct(regions, NS.mwgRs, 'RegionList');
  const out: MwgRegion[] = [];
  const items = list ? Array.from(list.getElementsByTagNameNS(NS.rdf, 'li')) : [];
  for (const li of items) {
    if (li.parentNode?.parentNode !== list) continue; // only the list's own items, not nested ones
    const area = struct(li, NS.mwgRs, 'Area');
    if (!area) continue;
    const [cx, cy, w, h] = (['x', 'y', 'w', 'h'] as const).map((k) => num(area, NS.stArea, k));
    if (cx == null || cy == null || w == null || h == null || w <= 0 || h <= 0) continue;
    const unit = text(area, NS.stArea, 'unit') ?? 'normalized';
    let box: NormBox = { x: cx - w / 2, y: cy - h / 2, w, h };
    if (unit === 'pixel') {
      if (!appliedTo) continue;
      box = {
        x: box.x / appliedTo.w,
        y: box.y / appliedTo.h,
        w: box.w / appliedTo.w,
        h: box.h / appliedTo.h,
      };
    }
    out.push({ name: text(li, NS.mwgRs, 'Name'), type: text(li, NS.mwgRs, 'Type'), box });
  }
  return { appliedTo, regions: out };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers as exiftool writes them: enough digits, no exponent. */
const fmt = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/** An rdf:Description holding one mwg-rs:Regions struct (stored-image normalised boxes, MWG centre form). */
export function mwgDescription(info: MwgRegionInfo, indent = '  '): string {
  const i = (n: number): string => indent.repeat(n);
  const lines = [
    `${i(2)}<rdf:Description rdf:about=""`,
    `${i(3)}xmlns:mwg-rs="${NS.mwgRs}"`,
    `${i(3)}xmlns:stArea="${NS.stArea}"`,
    `${i(3)}xmlns:stDim="${NS.stDim}">`,
    `${i(3)}<mwg-rs:Regions rdf:parseType="Resource">`,
  ];
  if (info.appliedTo)
    lines.push(
      `${i(4)}<mwg-rs:AppliedToDimensions rdf:parseType="Resource">`,
      `${i(5)}<stDim:w>${fmt(info.appliedTo.w)}</stDim:w>`,
      `${i(5)}<stDim:h>${fmt(info.appliedTo.h)}</stDim:h>`,
      `${i(5)}<stDim:unit>pixel</stDim:unit>`,
      `${i(4)}</mwg-rs:AppliedToDimensions>`,
    );
  lines.push(`${i(4)}<mwg-rs:RegionList>`, `${i(5)}<rdf:Bag>`);
  for (const r of info.regions) {
    lines.push(`${i(6)}<rdf:li rdf:parseType="Resource">`);
    if (r.name !== null) lines.push(`${i(7)}<mwg-rs:Name>${escapeXml(r.name)}</mwg-rs:Name>`);
    if (r.type !== null) lines.push(`${i(7)}<mwg-rs:Type>${escapeXml(r.type)}</mwg-rs:Type>`);
    lines.push(
      `${i(7)}<mwg-rs:Area rdf:parseType="Resource">`,
      `${i(8)}<stArea:x>${fmt(r.box.x + r.box.w / 2)}</stArea:x>`,
      `${i(8)}<stArea:y>${fmt(r.box.y + r.box.h / 2)}</stArea:y>`,
      `${i(8)}<stArea:w>${fmt(r.box.w)}</stArea:w>`,
      `${i(8)}<stArea:h>${fmt(r.box.h)}</stArea:h>`,
      `${i(8)}<stArea:unit>normalized</stArea:unit>`,
      `${i(7)}</mwg-rs:Area>`,
      `${i(6)}</rdf:li>`,
    );
  }
  lines.push(
    `${i(5)}</rdf:Bag>`,
    `${i(4)}</mwg-rs:RegionList>`,
    `${i(3)}</mwg-rs:Regions>`,
    `${i(2)}</rdf:Description>`,
  );
  return lines.join('\n');
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
