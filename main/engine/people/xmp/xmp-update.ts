/**
 * A sidecar's people metadata replaced, everything else in it kept: its mwg-rs:Regions (and MP:RegionInfo
 * when the file has one) are swapped for the given regions, and its keyword lists follow the names
 * (people-keywords.ts). Works on the DOM of the existing packet, so other tools' tags survive untouched.
 */
import { XMLSerializer } from '@xmldom/xmldom';
import { mpFromDoc, mpRegionInfoXml, type MpRegion } from './mp-regions';
import { mwgFromDoc, mwgRegionsXml, type MwgRegionInfo } from './mwg-regions';
import { keepListsInStep, peopleLists } from './people-keywords';
import { BadXmpError, NS, parseXmpDoc } from './xmp-doc';

const EMPTY_PACKET = [
  '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
  `<x:xmpmeta xmlns:x="${NS.x}" x:xmptk="Visage">`,
  `  <rdf:RDF xmlns:rdf="${NS.rdf}">`,
  '  </rdf:RDF>',
  '</x:xmpmeta>',
  '<?xpacket end="w"?>',
  '',
].join('\n');

export interface PeopleUpdate {
  mwg: MwgRegionInfo;
  /** The MP regions to write; null leaves MP:RegionInfo out (the file had none). */
  mp: MpRegion[] | null;
}

const names = (u: {
  mwg: { regions: { name: string | null }[] } | null;
  mp: { name: string | null }[] | null;
}) => [...(u.mwg?.regions ?? []), ...(u.mp ?? [])].map((r) => r.name).filter((n): n is string => n !== null);

/** What a packet says about people, as a comparable string (to skip writes that change nothing). */
export function peopleSignature(doc: Document): string {
  const round = (v: number): number => Math.round(v * 1e5);
  const mwg = mwgFromDoc(doc);
  const mp = mpFromDoc(doc);
  const key = (r: {
    name: string | null;
    type?: string | null;
    box: { x: number; y: number; w: number; h: number } | null;
  }) => `${r.name}|${r.type ?? ''}|${r.box ? [r.box.x, r.box.y, r.box.w, r.box.h].map(round).join(',') : ''}`;
  return JSON.stringify({
    mwg: (mwg?.regions ?? []).map(key).sort(),
    dims: mwg?.appliedTo ?? null,
    mp: mp ? mp.regions.map(key).sort() : null,
    lists: peopleLists(doc).map((l) => [...l.entries].sort()),
  });
}

function removeEmptied(parent: Node | null): void {
  // Drop a description we emptied (ours from an earlier write); keep any that still holds something.
  if (!parent || parent.nodeType !== 1) return;
  const d = parent as Element;
  const onlyNs = Array.from(d.attributes).every((a) => a.name.startsWith('xmlns') || a.name === 'rdf:about');
  const hasChildren = Array.from(d.childNodes).some(
    (n) => n.nodeType === 1 || (n.textContent ?? '').trim() !== '',
  );
  if (d.localName === 'Description' && onlyNs && !hasChildren) d.parentNode?.removeChild(d);
}

/**
 * The packet text with its people metadata replaced by `update`, or a new packet when `existing` is null.
 * `changed` is false when the result says the same about people as the input did. Throws BadXmpError
 * when the existing packet is not well-formed (the file is then left untouched).
 */
export function withPeople(
  existing: string | null,
  update: PeopleUpdate,
): { text: string; changed: boolean } {
  if (existing === null) return { text: withPeople(EMPTY_PACKET, update).text, changed: true };
  const doc = parseXmpDoc(existing);
  const rdf = doc.getElementsByTagNameNS(NS.rdf, 'RDF')[0];
  if (!rdf) throw new BadXmpError('no rdf:RDF element');
  const before = peopleSignature(doc);
  const oldNames = names({ mwg: mwgFromDoc(doc), mp: mpFromDoc(doc)?.regions ?? null });
  const newNames = names(update);
  const removed = new Set(oldNames.filter((n) => !newNames.includes(n)));
  const added = [...new Set(newNames.filter((n) => !oldNames.includes(n)))];
  const drop = [...Array.from(doc.getElementsByTagNameNS(NS.mwgRs, 'Regions'))];
  if (update.mp !== null) drop.push(...Array.from(doc.getElementsByTagNameNS(NS.mp, 'RegionInfo')));
  for (const old of drop) {
    const parent = old.parentNode;
    parent?.removeChild(old);
    removeEmptied(parent);
  }
  keepListsInStep(doc, oldNames, removed, added);
  // Always a region list, even empty: the sidecar then speaks for the photo's regions (xmp-files.ts).
  const body = [mwgRegionsXml(update.mwg)];
  if (update.mp !== null && update.mp.length > 0) body.push(mpRegionInfoXml(update.mp));
  const xml = [
    `<rdf:RDF xmlns:rdf="${NS.rdf}">`,
    `    <rdf:Description rdf:about="" xmlns:mwg-rs="${NS.mwgRs}" xmlns:stArea="${NS.stArea}"` +
      ` xmlns:stDim="${NS.stDim}" xmlns:MP="${NS.mp}" xmlns:MPRI="${NS.mpri}" xmlns:MPReg="${NS.mpreg}">`,
    ...body,
    '    </rdf:Description>',
    '</rdf:RDF>',
  ].join('\n');
  const desc = parseXmpDoc(xml).getElementsByTagNameNS(NS.rdf, 'Description')[0]!;
  rdf.appendChild(doc.createTextNode('\n  '));
  rdf.appendChild(doc.importNode(desc, true));
  rdf.appendChild(doc.createTextNode('\n'));
  const text = new XMLSerializer().serializeToString(doc);
  return { text, changed: peopleSignature(parseXmpDoc(text)) !== before };
}
