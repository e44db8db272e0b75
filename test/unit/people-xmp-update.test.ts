import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mpFromDoc } from '../../main/engine/people/xmp/mp-regions';
import { mwgFromDoc, parseMwgRegions } from '../../main/engine/people/xmp/mwg-regions';
import { peopleLists } from '../../main/engine/people/xmp/people-keywords';
import { BadXmpError, parseXmpDoc } from '../../main/engine/people/xmp/xmp-doc';
import { withPeople } from '../../main/engine/people/xmp/xmp-update';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
/** A digiKam-style sidecar: MWG and MP regions for Ann and Bob, people keywords, and a place keyword. */
const SIDECAR = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}">
<rdf:Description rdf:about="" xmlns:digiKam="http://www.digikam.org/ns/1.0/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:MP="http://ns.microsoft.com/photo/1.2/"
  xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#" xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"
  xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
  xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4">
 <digiKam:TagsList><rdf:Seq><rdf:li>People/Ann</rdf:li><rdf:li>People/Bob</rdf:li><rdf:li>Places/Oslo</rdf:li></rdf:Seq></digiKam:TagsList>
 <lr:hierarchicalSubject><rdf:Bag><rdf:li>People|Ann</rdf:li><rdf:li>People|Bob</rdf:li></rdf:Bag></lr:hierarchicalSubject>
 <dc:subject><rdf:Bag><rdf:li>Ann</rdf:li><rdf:li>Bob</rdf:li><rdf:li>Oslo</rdf:li></rdf:Bag></dc:subject>
 <MP:RegionInfo rdf:parseType="Resource"><MPRI:Regions><rdf:Bag>
  <rdf:li MPReg:PersonDisplayName="Ann" MPReg:Rectangle="0.1, 0.1, 0.2, 0.2"/>
  <rdf:li MPReg:PersonDisplayName="Bob" MPReg:Rectangle="0.6, 0.1, 0.2, 0.2"/>
 </rdf:Bag></MPRI:Regions></MP:RegionInfo>
 <mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="100" stDim:h="100" stDim:unit="pixel"/>
  <mwg-rs:RegionList><rdf:Bag>
   <rdf:li><rdf:Description mwg-rs:Name="Ann" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.2" stArea:y="0.2" stArea:w="0.2" stArea:h="0.2" stArea:unit="normalized"/></rdf:Description></rdf:li>
   <rdf:li><rdf:Description mwg-rs:Name="Bob" mwg-rs:Type="Face"><mwg-rs:Area stArea:x="0.7" stArea:y="0.2" stArea:w="0.2" stArea:h="0.2" stArea:unit="normalized"/></rdf:Description></rdf:li>
  </rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

const lists = (text: string): string[][] => peopleLists(parseXmpDoc(text)).map((l) => l.entries);

test('a rename and a removal reach MWG, MP and every keyword list; other keywords and tags stay', () => {
  const ann = { x: 0.1, y: 0.1, w: 0.2, h: 0.2 };
  const out = withPeople(SIDECAR, {
    mwg: { appliedTo: { w: 100, h: 100 }, regions: [{ name: 'Anna', type: 'Face', box: ann }] },
    mp: [{ name: 'Anna', box: ann }],
  });
  assert.equal(out.changed, true);
  const doc = parseXmpDoc(out.text);
  assert.deepEqual(
    mwgFromDoc(doc)!.regions.map((r) => r.name),
    ['Anna'],
  );
  assert.deepEqual(
    mpFromDoc(doc)!.regions.map((r) => r.name),
    ['Anna'],
  );
  assert.deepEqual(lists(out.text), [['Oslo', 'Anna'], ['People|Anna'], ['Places/Oslo', 'People/Anna']]);
  assert.match(out.text, /xmp:Rating="4"/);
  // Writing the same again changes nothing.
  assert.equal(
    withPeople(out.text, { mwg: mwgFromDoc(doc)!, mp: [{ name: 'Anna', box: ann }] }).changed,
    false,
  );
});

test('regions are clipped to the image on write; out-of-bounds and unit-less pixel areas are skipped on read', () => {
  const out = withPeople(null, {
    mwg: {
      appliedTo: null,
      regions: [{ name: 'Edge', type: 'Face', box: { x: -0.006, y: 0.5, w: 0.2, h: 0.6 } }],
    },
    mp: null,
  });
  const r = parseMwgRegions(out.text)!.regions[0]!;
  assert.ok(r.box.x >= 0 && r.box.y + r.box.h <= 1 + 1e-9, JSON.stringify(r.box));
  const noUnit = SIDECAR.replace(
    'stArea:x="0.7" stArea:y="0.2" stArea:w="0.2" stArea:h="0.2" stArea:unit="normalized"',
    'stArea:x="0" stArea:y="0" stArea:w="8" stArea:h="8"',
  );
  const parsed = parseMwgRegions(noUnit)!;
  assert.deepEqual(
    parsed.regions.map((x) => x.name),
    ['Ann'],
  );
  assert.equal(parsed.skipped?.[0]?.name, 'Bob');
  assert.match(parsed.skipped[0].reason, /not within the image/);
});

test('empty and truncated packets are BadXmpError with a short reason, never a raw parser dump', () => {
  assert.throws(
    () => parseXmpDoc(''),
    (e: unknown) => e instanceof BadXmpError && e.message === 'empty file',
  );
  assert.throws(
    () => parseXmpDoc(SIDECAR.slice(0, 900)),
    (e: unknown) => e instanceof BadXmpError && /truncated/.test(e.message) && !e.message.includes('\n'),
  );
  assert.throws(() => withPeople('', { mwg: { appliedTo: null, regions: [] }, mp: null }), BadXmpError);
});
