import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mwgPacket, parseMwgRegions } from '../../main/engine/people/xmp/mwg-regions';
import { orientedToStored, storedToOriented, type NormBox } from '../../main/engine/people/xmp/orientation';

const close = (a: NormBox, b: NormBox): void => {
  for (const k of ['x', 'y', 'w', 'h'] as const)
    assert.ok(Math.abs(a[k] - b[k]) < 1e-9, `${k}: ${a[k]} vs ${b[k]}`);
};

test('orientation 6 (rotate 90° clockwise) maps the stored top-left corner to the displayed top-right', () => {
  close(storedToOriented({ x: 0, y: 0, w: 0.2, h: 0.1 }, 6), { x: 0.9, y: 0, w: 0.1, h: 0.2 });
  close(storedToOriented({ x: 0, y: 0, w: 0.2, h: 0.1 }, 8), { x: 0, y: 0.8, w: 0.1, h: 0.2 });
  close(storedToOriented({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, 1), { x: 0.1, y: 0.2, w: 0.3, h: 0.4 });
  close(storedToOriented({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, null), { x: 0.1, y: 0.2, w: 0.3, h: 0.4 });
});

test('writing undoes reading for all eight orientations', () => {
  const box = { x: 0.12, y: 0.34, w: 0.2, h: 0.25 };
  for (let o = 1; o <= 8; o++) close(orientedToStored(storedToOriented(box, o), o), box);
});

test('regions survive a write/parse round trip, names escaped', () => {
  const info = {
    appliedTo: { w: 4000, h: 3000 },
    regions: [
      { name: 'Zoë & "Bob" <Jr>', type: 'Face', box: { x: 0.1, y: 0.2, w: 0.05, h: 0.07 } },
      { name: null, type: 'Pet', box: { x: 0.5, y: 0.5, w: 0.1, h: 0.1 } },
    ],
  };
  const parsed = parseMwgRegions(mwgPacket(info));
  assert.ok(parsed);
  assert.deepEqual(parsed.appliedTo, info.appliedTo);
  assert.equal(parsed.regions.length, 2);
  assert.equal(parsed.regions[0]!.name, 'Zoë & "Bob" <Jr>');
  assert.equal(parsed.regions[1]!.type, 'Pet');
  close(parsed.regions[0]!.box, info.regions[0]!.box);
});

test('attribute-style structs (as some writers emit) parse too; a packet without regions gives null', () => {
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
      xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
    <mwg-rs:Regions><rdf:Description><mwg-rs:AppliedToDimensions stDim:w="100" stDim:h="50" stDim:unit="pixel"/>
    <mwg-rs:RegionList><rdf:Bag><rdf:li><rdf:Description mwg-rs:Name="Ann" mwg-rs:Type="Face">
      <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.4" stArea:unit="normalized"/>
    </rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></rdf:Description></mwg-rs:Regions>
    </rdf:Description></rdf:RDF></x:xmpmeta>`;
  const parsed = parseMwgRegions(xmp);
  assert.ok(parsed);
  assert.deepEqual(parsed.appliedTo, { w: 100, h: 50 });
  assert.equal(parsed.regions[0]!.name, 'Ann');
  close(parsed.regions[0]!.box, { x: 0.4, y: 0.3, w: 0.2, h: 0.4 });
  assert.equal(parseMwgRegions('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'), null);
  assert.throws(() => parseMwgRegions('<not-closed'), /not well-formed/);
});
