/**
 * Interoperability over the corpus of files other tools wrote (../shared/data/xmp: digiKam/exiv2,
 * Lightroom, Adobe XMP Core, exiftool, pigallery2's sidecars), with exiftool as the reference reader:
 * every region exiftool reads is read by Visage with the same name and box (or named in the report with
 * why not); indexing puts the names on detected faces (IoU ≥ 0.7); after a rename and a rejection the
 * sidecars Visage writes pass `exiftool -validate`, read back (in exiftool and in Visage) as the catalog
 * says, keep MP regions and keyword lists in step, and never touch an original; a catalog rebuilt from
 * them gets the same names back. Bad sidecars are warnings on their photos only.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { iou } from '../../main/engine/catalog/faces-repo';
import { openEngine, type Engine } from '../../main/engine/engine';
import { sidecarCandidates } from '../../main/engine/library/sidecars';
import { storedToOriented } from '../../main/engine/people/xmp/orientation';
import { readXmpRegions } from '../../main/engine/people/xmp/xmp-files';
import { exiftool, exiftoolPeople, validate } from '../support/exiftool';
import { xmpCorpus } from '../support/paths';
import { tempDir } from '../support/temp';

type Box = { x: number; y: number; w: number; h: number };
const IMAGE = /\.(jpe?g|png)$/i;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What exiftool says a photo's regions are, on the displayed image, from the source Visage reads. */
function expected(photo: string): { name: string | null; box: Box | null; unit: string | null }[] {
  const sidecars = sidecarCandidates(photo).filter((f) => existsSync(f));
  let orientation: number | null = null;
  for (const s of sidecars) orientation ??= exiftoolPeople(s).orientation;
  orientation ??= exiftoolPeople(photo).orientation;
  const withRegions = sidecars.map(exiftoolPeople).filter((p) => p.mwg.length + p.mp.length > 0);
  const source = withRegions.length > 0 ? withRegions : [exiftoolPeople(photo)];
  return source.flatMap((p) => {
    const mwg = p.mwg.map((r) => ({
      name: r.name,
      unit: r.unit,
      box: r.area ? storedToOriented(r.area, orientation) : null,
    }));
    const mp = p.mp
      .filter((m) => m.rect !== null && !mwg.some((r) => r.box && iou(r.box, m.rect!) >= 0.5))
      .map((m) => ({ name: m.name, unit: 'normalized', box: m.rect }));
    return [...mwg, ...mp];
  });
}

const near = (a: Box, b: Box, tol: number): boolean =>
  (['x', 'y', 'w', 'h'] as const).every((k) => Math.abs(a[k] - b[k]) <= tol);

test('XMP corpus: each file reads in Visage as exiftool reads it (regions out of bounds named, not imported)', async () => {
  const corpus = xmpCorpus();
  const photos = walk(corpus).filter((f) => IMAGE.test(f));
  assert.ok(photos.length >= 25, `corpus has only ${photos.length} photos`);
  let compared = 0;
  for (const photo of photos) {
    const want = expected(photo);
    const got = await readXmpRegions(photo);
    const rel = path.relative(corpus, photo);
    assert.deepEqual(got.warnings, [], rel);
    for (const w of want) {
      if (w.box === null) continue;
      const hit = got.regions.find((g) => g.name === w.name && near(g.box, w.box!, 1e-4));
      assert.ok(
        hit,
        `${rel}: region ${w.name} at ${JSON.stringify(w.box)} not read (got ${JSON.stringify(got.regions)})`,
      );
      compared++;
    }
    assert.equal(got.regions.length, want.filter((w) => w.box !== null).length, `${rel}: extra regions`);
  }
  assert.ok(compared >= 30, `only ${compared} regions compared`);

  // XMP5.xmp (exiftool's test file): a region with no unit and w = h = 8 — not a normalised area.
  const odd = await readXmpRegions(path.join(corpus, 'exiftool', 'XMP5')); // reads XMP5.xmp as its sidecar
  assert.equal(odd.regions.length, 0, 'a region without units outside the image was imported');
  assert.ok(
    odd.skipped.some((s) => /not within the image|normalised/.test(s.reason)),
    `not named in the report: ${JSON.stringify(odd.skipped)}`,
  );
});

async function namedFaces(engine: Engine): Promise<Map<string, { name: string; box: Box; score: number }[]>> {
  const out = new Map<string, { name: string; box: Box; score: number }[]>();
  for (let offset = 0; ; offset += 500) {
    const page = await engine.api['library.faces']({ offset, limit: 500 });
    for (const f of page.items) {
      if (f.person === null || f.assignment !== 'confirmed') continue;
      const list = out.get(f.photoPath) ?? [];
      list.push({ name: f.person.name, box: f.box, score: f.score });
      out.set(f.photoPath, list);
    }
    if (page.items.length < 500) break;
  }
  return out;
}
