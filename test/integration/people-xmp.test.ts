/**
 * XMP face regions against exiftool as the reference (Debian: libimage-exiftool-perl): regions exiftool
 * embeds are read as confirmed names when the library indexes the photos (also for a photo stored
 * rotated with EXIF orientation 6); sidecars Visage writes read back in exiftool with the same names and
 * areas; an existing sidecar keeps its other metadata and regions; originals are never modified.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { openEngine } from '../../main/engine/engine';
import { readXmpRegions } from '../../main/engine/people/xmp/xmp-files';
import { analysePhoto } from '../../main/engine/vision/face-pipeline';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

type Area = { x: number; y: number; w: number; h: number }; // normalised, top-left

function exiftool(args: string[]): string {
  try {
    return execFileSync('exiftool', args, { encoding: 'utf8' });
  } catch (err) {
    throw new Error(
      `exiftool is needed for this test (apt-get install libimage-exiftool-perl): ${String(err)}`,
    );
  }
}

/** Writes MWG regions (stored-image areas) into a file with exiftool. */
function exiftoolRegions(
  file: string,
  dims: { w: number; h: number },
  regions: { name: string; area: Area }[],
): void {
  const list = regions
    .map(
      (r) =>
        `{Area={X=${r.area.x + r.area.w / 2},Y=${r.area.y + r.area.h / 2},W=${r.area.w},H=${r.area.h},Unit=normalized},Name=${r.name},Type=Face}`,
    )
    .join(',');
  exiftool([
    '-q',
    '-overwrite_original',
    `-RegionInfo={AppliedToDimensions={W=${dims.w},H=${dims.h},Unit=pixel},RegionList=[${list}]}`,
    file,
  ]);
}

function exiftoolRead(file: string): { name: string; area: Area }[] {
  const json = JSON.parse(exiftool(['-j', '-struct', '-XMP-mwg-rs:RegionInfo', file])) as {
    RegionInfo?: { RegionList: { Name: string; Area: { X: number; Y: number; W: number; H: number } }[] };
  }[];
  return (json[0]?.RegionInfo?.RegionList ?? []).map((r) => ({
    name: r.Name,
    area: { x: r.Area.X - r.Area.W / 2, y: r.Area.Y - r.Area.H / 2, w: r.Area.W, h: r.Area.H },
  }));
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const near = (a: Area, b: Area, tol = 1e-4): boolean =>
  Math.abs(a.x - b.x) < tol &&
  Math.abs(a.y - b.y) < tol &&
  Math.abs(a.w - b.w) < tol &&
  Math.abs(a.h - b.h) < tol;

test('XMP regions: read on indexing (plain and rotated photos), written as sidecars exiftool reads back', async (t) => {
  const dir = tempDir(t, 'visage-xmp-');
  const photos = path.join(dir, 'photos');
  mkdirSync(photos);
  const plain = path.join(photos, 'plain.jpg');
  const rotated = path.join(photos, 'rotated.jpg');
  copyFileSync(face('face_recognition', 'examples', 'two_people.jpg'), plain);
  const meta = await sharp(plain).metadata();
  const W = meta.width;
  const H = meta.height;
  // Stored 90° anticlockwise with orientation 6, so it displays exactly like the original.
  await sharp(plain).rotate(270).withMetadata({ orientation: 6 }).toFile(rotated);

  const found = (await analysePhoto(plain)).faces.sort((a, b) => a.box.x - b.box.x);
  assert.ok(found.length >= 2, `expected two faces, found ${found.length}`);
  const named = found.slice(0, 2).map((f, i) => ({
    name: i === 0 ? 'Left Person' : 'Right Person',
    area: { x: f.box.x / W, y: f.box.y / H, w: f.box.w / W, h: f.box.h / H },
  }));
  exiftoolRegions(plain, { w: W, h: H }, named);
  // On the stored (rotated) pixels, a displayed point (x, y) sits at (y, 1 − x).
  exiftoolRegions(
    rotated,
    { w: H, h: W },
    named.map((r) => ({
      name: r.name,
      area: { x: r.area.y, y: 1 - r.area.x - r.area.w, w: r.area.h, h: r.area.w },
    })),
  );

  for (const file of [plain, rotated]) {
    const read = await readXmpRegions(file);
    assert.equal(read.source, 'embedded');
    for (const r of named)
      assert.ok(
        read.regions.some((x) => x.name === r.name && near(x.box, r.area)),
        `${path.basename(file)}: ${r.name} not read at its displayed position`,
      );
  }

  const hashes = [sha(plain), sha(rotated)];
  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  t.after(() => engine.close());
  await engine.api['library.addFolder']({ path: photos, index: false });
  const indexed = await engine.api['library.rescan']({ wait: true });
  assert.equal(indexed.failed, 0);
  const people = await engine.api['people.list']({});
  assert.deepEqual(
    people.map((p) => [p.name, p.faces]),
    [
      ['Left Person', 2],
      ['Right Person', 2],
    ],
    'names from XMP were not confirmed on both photos',
  );

  // A sidecar that already exists keeps its other metadata and a region matching none of our faces.
  const sidecar = `${rotated}.xmp`;
  exiftool(['-q', '-o', sidecar, '-XMP-dc:Subject=holiday', rotated]);
  exiftoolRegions(sidecar, { w: H, h: W }, [
    { name: 'Someone Else', area: { x: 0.01, y: 0.01, w: 0.05, h: 0.05 } },
  ]);
  const written = await engine.api['people.writeXmp']({});
  assert.deepEqual(written.errors, []);
  // plain.jpg's embedded regions already say what the catalog says: no sidecar is needed for it.
  assert.deepEqual(written.written, [sidecar]);
  assert.equal(existsSync(`${plain}.xmp`), false);
  assert.deepEqual([sha(plain), sha(rotated)], hashes, 'an original photo was modified');

  const plainRegions = exiftoolRead(plain);
  for (const r of named)
    assert.ok(
      plainRegions.some((x) => x.name === r.name && near(x.area, r.area, 0.02)),
      r.name,
    );
  const rotatedRegions = exiftoolRead(sidecar);
  assert.ok(
    rotatedRegions.some((x) => x.name === 'Someone Else'),
    'a foreign region was dropped',
  );
  for (const r of named) {
    const stored = { x: r.area.y, y: 1 - r.area.x - r.area.w, w: r.area.h, h: r.area.w };
    assert.ok(
      rotatedRegions.some((x) => x.name === r.name && near(x.area, stored, 0.02)),
      `${r.name} (rotated)`,
    );
  }
  assert.match(exiftool(['-s3', '-XMP-dc:Subject', sidecar]), /holiday/);
  // Writing again changes nothing; reading our sidecar back gives the same names.
  const again = await engine.api['people.writeXmp']({});
  assert.equal(again.written.length, 0);
  assert.equal(again.unchanged, 2);
  const back = await readXmpRegions(rotated);
  assert.equal(back.source, 'sidecar');
  assert.ok(named.every((r) => back.regions.some((x) => x.name === r.name && near(x.box, r.area, 0.02))));
  writeFileSync(sidecar, '<broken');
  const broken = await engine.api['people.writeXmp']({});
  assert.equal(broken.errors.length, 1);
  assert.equal(readFileSync(sidecar, 'utf8'), '<broken', 'an unreadable sidecar was overwritten');
});
