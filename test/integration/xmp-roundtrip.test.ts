/**
 * The XMP round trip with every orientation, declared in EXIF and (issue 14) only in a sidecar: the same
 * photo stored eight ways is indexed with the same pixels and face boxes, names written to sidecars are
 * on the stored image as exiftool reads them, and a new catalog indexing the folder gets identical labels.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { iou } from '../../main/engine/catalog/faces-repo';
import { openEngine, type Engine } from '../../main/engine/engine';
import { orientExplicitly } from '../../main/engine/vision/orient';
import { storedToOriented } from '../../main/engine/people/xmp/orientation';
import { exiftool, exiftoolPeople } from '../support/exiftool';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

type Box = { x: number; y: number; w: number; h: number };
const inverse = (o: number): number => (o === 6 ? 8 : o === 8 ? 6 : o);

async function labels(engine: Engine): Promise<string[]> {
  const file = await engine.api['people.exportLabels']({});
  const r = (v: number): number => Math.round(v);
  return file.faces
    .filter((f) => f.person !== null || f.rejected.length > 0 || f.deleted)
    .map(
      (f) =>
        `${path.basename(f.photo.path)} ${f.person} [${[f.box.x, f.box.y, f.box.w, f.box.h].map(r).join(',')}]` +
        ` rejected=${f.rejected.join('|')} deleted=${f.deleted}`,
    )
    .sort();
}

test('XMP round trip, orientations 1–8 in EXIF and in sidecars: same pixels and boxes, same labels back', async (t) => {
  const dir = tempDir(t, 'visage-xmp-rot-');
  const lib = path.join(dir, 'photos');
  mkdirSync(lib);
  const source = face('face_recognition', 'examples', 'two_people.jpg');
  const meta = await sharp(source).metadata();
  const orientationOf = new Map<string, number>();
  for (let o = 1; o <= 8; o++) {
    const stored = await orientExplicitly(sharp(source), inverse(o)).jpeg({ quality: 95 }).toBuffer();
    const inExif = path.join(lib, `exif-${o}.jpg`);
    await sharp(stored).withMetadata({ orientation: o }).toFile(inExif);
    const inSidecar = path.join(lib, `sidecar-${o}.jpg`);
    await sharp(stored).toFile(inSidecar); // no EXIF orientation at all
    exiftool(['-q', '-o', `${inSidecar}.xmp`, `-XMP-tiff:Orientation#=${o}`, inSidecar]);
    orientationOf.set(inExif, o).set(inSidecar, o);
  }

  const a = openEngine({ dbPath: path.join(dir, 'a.db') });
  t.after(() => a.close());
  await a.api['library.addFolder']({ path: lib, index: false });
  const run = await a.api['library.rescan']({ wait: true });
  assert.equal(run.failed, 0);
  const photos = (await a.api['library.photos']({ limit: 100 })).items;
  assert.equal(photos.length, 16);
  const faces = (await a.api['library.faces']({ limit: 10000 })).items;
  let reference: Box[] | null = null;
  for (const p of photos) {
    assert.deepEqual([p.width, p.height], [meta.width, meta.height], `${p.path}: not oriented`);
    const mine = faces.filter((f) => f.photoId === p.id).sort((x, y) => x.box.x - y.box.x);
    assert.ok(mine.length >= 2, `${path.basename(p.path)}: ${mine.length} faces`);
    reference ??= mine.map((f) => f.box);
    mine.slice(0, 2).forEach((f, i) => {
      assert.ok(
        iou(f.box, reference![i]!) >= 0.9,
        `${path.basename(p.path)}: face ${i} is not where it is upright`,
      );
    });
    await a.api['people.name']({ faceIds: [mine[0]!.id], person: 'Left Person' });
    await a.api['people.name']({ faceIds: [mine[1]!.id], person: 'Right Person' });
  }
  const written = await a.api['people.writeXmp']({});
  assert.deepEqual(written.errors, []);
  assert.equal(written.written.length, 16);

  // exiftool reads the regions on the stored image: mapped with the photo's orientation they are our boxes.
  for (const p of photos) {
    const o = orientationOf.get(p.path)!;
    const read = exiftoolPeople(`${p.path}.xmp`);
    for (const f of faces.filter((x) => x.photoId === p.id && x.person !== null)) {
      const nb = {
        x: f.box.x / p.width!,
        y: f.box.y / p.height!,
        w: f.box.w / p.width!,
        h: f.box.h / p.height!,
      };
      assert.ok(
        read.mwg.some((r) => r.area !== null && iou(storedToOriented(r.area, o), nb) >= 0.98),
        `${path.basename(p.path)}: region not on the stored image`,
      );
    }
    if (path.basename(p.path).startsWith('sidecar-'))
      assert.equal(exiftoolPeople(`${p.path}.xmp`).orientation, o, 'the sidecar lost its orientation');
  }

  const before = await labels(a);
  assert.equal(before.length, 32);
  const b = openEngine({ dbPath: path.join(dir, 'b.db') });
  t.after(() => b.close());
  await b.api['library.addFolder']({ path: lib, index: false });
  await b.api['library.rescan']({ wait: true });
  assert.deepEqual(await labels(b), before);
  // Writing from the rebuilt catalog changes nothing.
  const again = await b.api['people.writeXmp']({});
  assert.deepEqual([again.written.length, again.unchanged], [0, 16]);
});
