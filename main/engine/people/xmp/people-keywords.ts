/**
 * Person names in keyword lists, kept in step with the face regions when Visage writes a sidecar: a name
 * that leaves the regions (rejected, renamed, merged away) leaves these lists, a name that arrives is
 * added. Only lists the file already has are touched, and only entries that are (or end in) a region
 * name, so "USA" or "Holiday|2024" stay. Hierarchical lists get a new name under the same parent as the
 * file's other people (e.g. "People|Ann", or bare like them), or under "People" when there is none to copy.
 */
import { childElements, NS } from './xmp-doc';

interface KeywordList {
  ns: readonly string[];
  name: string;
  /** Hierarchy separator; null for a flat list of names. */
  sep: string | null;
}

/** The lists people tools keep person names in, by namespace (two spellings of MicrosoftPhoto's). */
export const PEOPLE_LISTS: readonly KeywordList[] = [
  { ns: ['http://purl.org/dc/elements/1.1/'], name: 'subject', sep: null },
  { ns: ['http://ns.adobe.com/lightroom/1.0/'], name: 'hierarchicalSubject', sep: '|' },
  { ns: ['http://www.digikam.org/ns/1.0/'], name: 'TagsList', sep: '/' },
  {
    ns: ['http://ns.microsoft.com/photo/1.0/', 'http://ns.microsoft.com/photo/1.0'],
    name: 'LastKeywordXMP',
    sep: '/',
  },
  { ns: ['http://ns.iview-multimedia.com/mediapro/1.0/'], name: 'CatalogSets', sep: '|' },
  { ns: ['http://iptc.org/std/Iptc4xmpExt/2008-02-29/'], name: 'PersonInImage', sep: null },
];

const leaf = (entry: string, sep: string | null): string =>
  sep === null ? entry : (entry.split(sep).at(-1) ?? entry);

function bagOf(el: Element): Element | null {
  return (
    childElements(el).find((k) => k.namespaceURI === NS.rdf && ['Bag', 'Seq'].includes(k.localName)) ?? null
  );
}

/** Every list element of the document with its entries (for comparing before and after a write). */
export function peopleLists(doc: Document): { list: KeywordList; el: Element; entries: string[] }[] {
  const out: { list: KeywordList; el: Element; entries: string[] }[] = [];
  for (const list of PEOPLE_LISTS)
    for (const ns of list.ns)
      for (const el of Array.from(doc.getElementsByTagNameNS(ns, list.name))) {
        const bag = bagOf(el);
        const entries = bag
          ? childElements(bag)
              .filter((li) => li.localName === 'li')
              .map((li) => li.textContent.trim())
          : [];
        out.push({ list, el, entries });
      }
  return out;
}

/** Removes `removed` names from and adds `added` names to every people list the document has. */
export function keepListsInStep(
  doc: Document,
  before: readonly string[],
  removed: ReadonlySet<string>,
  added: readonly string[],
): void {
  const known = new Set(before);
  for (const { list, el } of peopleLists(doc)) {
    const bag = bagOf(el);
    if (!bag) continue;
    const items = childElements(bag).filter((li) => li.localName === 'li');
    let parent: string | null = null;
    for (const li of items) {
      const entry = li.textContent.trim();
      const name = leaf(entry, list.sep);
      if (list.sep !== null && known.has(name) && parent === null)
        parent = entry === name ? '' : entry.slice(0, entry.length - name.length - list.sep.length);
      if (removed.has(name) && (list.sep === null ? entry === name : true)) {
        const prev = li.previousSibling;
        if (prev?.nodeType === 3 && (prev.textContent ?? '').trim() === '') bag.removeChild(prev);
        bag.removeChild(li);
      }
    }
    const present = new Set(
      childElements(bag)
        .filter((li) => li.localName === 'li')
        .map((li) => leaf(li.textContent.trim(), list.sep)),
    );
    for (const name of added) {
      if (present.has(name)) continue;
      const under = parent ?? 'People';
      const entry = list.sep === null || under === '' ? name : `${under}${list.sep}${name}`;
      const li = doc.createElementNS(NS.rdf, `${bag.prefix ?? 'rdf'}:li`);
      li.appendChild(doc.createTextNode(entry));
      bag.appendChild(li);
      present.add(name);
    }
  }
}
