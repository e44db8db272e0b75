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

test('XMP corpus: indexed names land on detected faces; writes validate, read back, keep MP and keywords in step, rebuild', async (t) => {
  const corpus = xmpCorpus();
  const dir = tempDir(t, 'visage-xmp-corpus-');
  const lib = path.join(dir, 'photos');
  cpSync(corpus, lib, { recursive: true });
  const sharedBefore = new Map(walk(corpus).map((f) => [f, sha(f)]));
  const curie = path.join(lib, 'immich');
  // An MP-only file (MWG removed), and issue 14's case: orientation declared only in the sidecar.
  exiftool([
    '-q',
    '-o',
    path.join(curie, 'mp-only.jpg'),
    '-XMP-mwg-rs:all=',
    path.join(curie, 'portrait.jpg'),
  ]);
  const side6 = path.join(curie, 'side6.jpg');
  exiftool(['-q', '-o', side6, '-all:all=', path.join(curie, 'portrait-orientation-6.jpg')]); // no orientation in the file
  exiftool([
    '-q',
    '-o',
    `${side6}.xmp`,
    '-tagsfromfile',
    path.join(curie, 'portrait-orientation-6.jpg'),
    '-xmp:all',
    '-XMP-tiff:Orientation#=6',
  ]);
  // Bad sidecars cost only their photos.
  const bad = path.join(lib, 'bad');
  cpSync(path.join(lib, 'pigallery2', 'exiftool.jpg'), path.join(bad, 'empty.jpg'));
  cpSync(path.join(lib, 'pigallery2', 'exiftool.jpg'), path.join(bad, 'truncated.jpg'));
  writeFileSync(path.join(bad, 'empty.jpg.xmp'), '');
  const good = readFileSync(path.join(lib, 'pigallery2', 'sidecar', 'Chars.jpg.xmp'), 'utf8');
  writeFileSync(path.join(bad, 'truncated.jpg.xmp'), good.slice(0, good.length >> 1));
  const originals = walk(lib).filter((f) => IMAGE.test(f));
  const hashes = new Map(originals.map((f) => [f, sha(f)]));

  const engine = openEngine({ dbPath: path.join(dir, 'a.db') });
  t.after(() => engine.close());
  await engine.api['library.addFolder']({ path: lib, index: false });
  const indexed = await engine.api['library.rescan']({ wait: true });
  assert.equal(indexed.failed, 0, JSON.stringify((await engine.api['library.status']({})).errors));
  const status = await engine.api['library.status']({});
  assert.deepEqual(
    status.warnings.map((w) => path.basename(w.path)).sort(),
    ['empty.jpg', 'truncated.jpg'],
    JSON.stringify(status.warnings),
  );
  assert.ok(status.warnings.every((w) => /xmp/i.test(w.warning) && !/xmldom|at /.test(w.warning)));

  // Every region exiftool reads is on a face with its name, or named in the report with why not.
  const report = await engine.api['people.readXmp']({});
  let faces = await namedFaces(engine);
  for (const photo of originals) {
    if (photo.startsWith(bad)) continue;
    for (const w of expected(photo)) {
      const name = w.name?.trim();
      if (!name || w.box === null) continue;
      const dims = (await engine.api['library.photos']({ limit: 5000 })).items.find((p) => p.path === photo)!;
      const px = {
        x: w.box.x * dims.width!,
        y: w.box.y * dims.height!,
        w: w.box.w * dims.width!,
        h: w.box.h * dims.height!,
      };
      const on = (faces.get(photo) ?? []).filter((f) => f.name === name);
      const ok = on.some((f) => iou(f.box, px) >= 0.7);
      const named = report.problems.some((p) => p.path === photo && p.name === name);
      assert.ok(ok || named, `${path.relative(lib, photo)}: ${w.name} neither imported nor reported`);
    }
  }
  // A conflicting region (Chars.jpg names one person on two faces) adds nothing: no unnamed face to suggest.
  const unnamedAdded = (await engine.api['library.faces']({ limit: 10000 })).items.filter(
    (f) => f.score === 1 && f.assignment !== 'confirmed',
  );
  assert.deepEqual(
    unnamedAdded.map((f) => path.relative(lib, f.photoPath)),
    [],
    'a region added a face without a name',
  );
  assert.ok(
    report.problems.some((p) => p.path.endsWith('Chars.jpg') && /conflict/.test(p.reason)),
    JSON.stringify(report.problems),
  );
  // The Curies: real faces, so the names must sit on detected faces (IoU ≥ 0.7), whatever the orientation source.
  for (const f of ['portrait.jpg', 'portrait-orientation-6.jpg', 'mp-only.jpg', 'side6.jpg']) {
    const on = faces.get(path.join(curie, f)) ?? [];
    assert.deepEqual(on.map((x) => x.name).sort(), ['Marie Curie', 'Pierre Curie'], f);
    assert.ok(
      on.every((x) => x.score < 1),
      `${f}: a name went on an added face, not a detected one`,
    );
  }
  const p6 = (await engine.api['library.photos']({ limit: 5000 })).items.find((p) => p.path === side6)!;
  assert.deepEqual([p6.width, p6.height], [840, 700], 'the sidecar orientation was not used for the pixels');

  // A rename and a rejection, then write: MWG, MP and keyword lists follow; nothing else changes.
  await engine.api['people.rename']({ person: 'Marie Curie', name: 'Marie Skłodowska-Curie' });
  const pierre = (await engine.api['library.faces']({ limit: 10000 })).items.find(
    (f) => f.photoPath === path.join(curie, 'portrait.jpg') && f.person?.name === 'Pierre Curie',
  )!;
  await engine.api['people.reject']({ faceId: pierre.id, person: 'Pierre Curie' });
  // The last (only) name of a photo, rejected: it must leave the XMP too.
  const squirrelPhoto = path.join(lib, 'pigallery2', 'exiftool.jpg');
  const alvin = (await engine.api['library.faces']({ limit: 10000 })).items.find(
    (f) => f.photoPath === squirrelPhoto && f.person?.name === 'Alvin the Squirrel',
  );
  assert.ok(alvin, 'Alvin the Squirrel was not imported');
  await engine.api['people.reject']({ faceId: alvin.id, person: 'Alvin the Squirrel' });
  const validBefore = new Map(
    walk(lib)
      .filter((f) => /\.xmp$/i.test(f))
      .map((f) => [f, validate(f)]),
  );
  const written = await engine.api['people.writeXmp']({});
  assert.deepEqual(
    written.errors.map((e) => path.basename(e.path)).sort(),
    ['empty.jpg', 'truncated.jpg'],
    JSON.stringify(written.errors),
  );
  assert.equal(readFileSync(path.join(bad, 'empty.jpg.xmp'), 'utf8'), '', 'a bad sidecar was overwritten');
  for (const file of written.written) {
    const photo = originals.find((o) => sidecarCandidates(o).includes(file))!;
    // Only what was wrong before may remain (e.g. another tool's misspelt namespace URI).
    const before = [...validate(photo), ...(validBefore.get(file) ?? [])];
    const after = validate(file).filter((w) => !before.includes(w));
    assert.deepEqual(after, [], `${path.relative(lib, file)} fails exiftool -validate`);
  }
  const portrait = `${path.join(curie, 'portrait.jpg')}.xmp`;
  assert.ok(written.written.includes(portrait));
  const tags = JSON.parse(
    exiftool([
      '-j',
      '-struct',
      '-TagsList',
      '-Subject',
      '-HierarchicalSubject',
      '-RegionInfo',
      '-RegionInfoMP',
      portrait,
    ]),
  ) as Record<string, unknown>[];
  const text = JSON.stringify(tags[0]);
  assert.doesNotMatch(text, /Marie Curie|Pierre Curie/, text);
  for (const want of [
    'People/Marie Skłodowska-Curie',
    'People|Marie Skłodowska-Curie',
    '"Marie Skłodowska-Curie"',
  ])
    assert.ok(text.includes(want), `${want} missing: ${text}`);

  const squirrel = JSON.stringify(
    JSON.parse(exiftool(['-j', '-Subject', '-HierarchicalSubject', '-RegionInfo', `${squirrelPhoto}.xmp`])),
  );
  assert.doesNotMatch(squirrel, /Alvin/, squirrel);
  assert.match(squirrel, /Yosemite/, 'another keyword was lost');
  assert.equal((await readXmpRegions(squirrelPhoto)).regions.length, 0, 'the embedded name came back');
  // Issue 14's case: the other tool's sidecar gets the names on the right faces, no misplaced duplicates.
  assert.deepEqual(
    exiftoolPeople(`${side6}.xmp`)
      .mwg.map((r) => r.name)
      .sort(),
    ['Marie Skłodowska-Curie', 'Pierre Curie'],
  );

  // exiftool and Visage read back what the catalog says.
  faces = await namedFaces(engine);
  for (const photo of originals) {
    const mine = faces.get(photo) ?? [];
    if (mine.length === 0 || photo.startsWith(bad)) continue;
    const back = await readXmpRegions(photo);
    const dims = (await engine.api['library.photos']({ limit: 5000 })).items.find((p) => p.path === photo)!;
    for (const f of mine) {
      const nb = {
        x: f.box.x / dims.width!,
        y: f.box.y / dims.height!,
        w: f.box.w / dims.width!,
        h: f.box.h / dims.height!,
      };
      assert.ok(
        back.regions.some((r) => r.name === f.name && iou(r.box, nb) >= 0.9),
        `${path.relative(lib, photo)}: ${f.name} not read back`,
      );
      assert.ok(
        expected(photo).some((r) => r.name === f.name && r.box !== null && iou(r.box, nb) >= 0.9),
        `${path.relative(lib, photo)}: exiftool does not read ${f.name} back`,
      );
    }
  }
  for (const [f, h] of hashes) assert.equal(sha(f), h, `original modified: ${f}`);
  for (const [f, h] of sharedBefore) assert.equal(sha(f), h, `shared corpus modified: ${f}`);

  // A catalog rebuilt from the same folder gets the same names back.
  const rebuilt = openEngine({ dbPath: path.join(dir, 'b.db') });
  t.after(() => rebuilt.close());
  await rebuilt.api['library.addFolder']({ path: lib, index: false });
  await rebuilt.api['library.rescan']({ wait: true });
  const names = (m: Map<string, { name: string }[]>) =>
    [...m]
      .map(
        ([p, l]) =>
          `${path.relative(lib, p)}: ${l
            .map((x) => x.name)
            .sort()
            .join(', ')}`,
      )
      .sort();
  assert.deepEqual(names(await namedFaces(rebuilt)), names(faces));
});
