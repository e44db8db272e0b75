/**
 * Parsing an XMP packet into a DOM, and reading RDF struct fields from it. Namespace-aware, and accepts
 * both RDF spellings of a struct field (an attribute, or a child element, optionally wrapped in
 * rdf:Description), since writers differ (exiv2 and Adobe XMP Core write attributes, exiftool elements).
 */
import { DOMParser } from '@xmldom/xmldom';

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  mwgRs: 'http://www.metadataworkinggroup.com/schemas/regions/',
  stArea: 'http://ns.adobe.com/xmp/sType/Area#',
  stDim: 'http://ns.adobe.com/xap/1.0/sType/Dimensions#',
  mp: 'http://ns.microsoft.com/photo/1.2/',
  mpri: 'http://ns.microsoft.com/photo/1.2/t/RegionInfo#',
  mpreg: 'http://ns.microsoft.com/photo/1.2/t/Region#',
  x: 'adobe:ns:meta/',
} as const;

/** A sidecar (or embedded packet) that is not well-formed XMP: a warning on its photo, never a crash. */
export class BadXmpError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'BadXmpError';
  }
}

/** Parses an XMP packet; throws BadXmpError with a short reason when it is empty or not well-formed. */
export function parseXmpDoc(xmp: string): Document {
  if (xmp.trim() === '') throw new BadXmpError('empty file');
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (m: string) => problems.push(m),
      fatalError: (m: string) => problems.push(m),
    },
  }).parseFromString(xmp, 'text/xml');
  if (problems.length > 0) {
    // xmldom's messages carry a source dump and line info; the first clause is what a user can act on.
    const first = (problems[0] ?? '')
      .split('\n')[0]!
      .replace(/^\[xmldom [a-zA-Z]*\]\s*/, '')
      .trim();
    throw new BadXmpError(`not well-formed XML, truncated or damaged (${first.slice(0, 120)})`);
  }
  return doc;
}

export function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** The nodes that hold a struct's fields: the element and any rdf:Description inside it. */
function containers(el: Element): Element[] {
  return [el, ...childElements(el).filter((c) => c.namespaceURI === NS.rdf && c.localName === 'Description')];
}

function field(el: Element, ns: string, name: string): Element | string | null {
  for (const c of containers(el)) {
    if (c.hasAttributeNS(ns, name)) return c.getAttributeNS(ns, name);
    const child = childElements(c).find((k) => k.namespaceURI === ns && k.localName === name);
    if (child) return child;
  }
  return null;
}

export function text(el: Element, ns: string, name: string): string | null {
  const f = field(el, ns, name);
  if (f === null) return null;
  if (typeof f === 'string') return f;
  // A language alternative (rdf:Alt) or plain text content.
  const li = f.getElementsByTagNameNS(NS.rdf, 'li')[0];
  return (li ?? f).textContent.trim();
}

export function num(el: Element, ns: string, name: string): number | null {
  const t = text(el, ns, name);
  if (t === null || t.trim() === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function struct(el: Element, ns: string, name: string): Element | null {
  const f = field(el, ns, name);
  return typeof f === 'string' ? null : f;
}

/** The items of an RDF container (Bag/Seq/Alt) that is the given element's value. */
export function listItems(el: Element): Element[] {
  const out: Element[] = [];
  for (const c of containers(el))
    for (const k of childElements(c))
      if (k.namespaceURI === NS.rdf && ['Bag', 'Seq', 'Alt'].includes(k.localName))
        for (const li of childElements(k))
          if (li.namespaceURI === NS.rdf && li.localName === 'li') out.push(li);
  return out;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers as exiftool writes them: enough digits, no exponent. */
export const fmt = (v: number): string => String(Math.round(v * 1e6) / 1e6);
