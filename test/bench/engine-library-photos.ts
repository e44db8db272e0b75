/**
 * The generated library of the "first run" bench: LFW portraits pasted at random sizes onto a textured
 * background, mixed photo sizes (1–24 MP), 0–8 faces each. Never in the repo: the photos are cached under
 * test-results/bench-library/, one file per photo index, so a second run (or a bigger one after a reduced
 * one) generates only what is missing.
 * Each photo is a pure function of (seed, index, RECIPE): its own random stream decides its size, faces
 * and texture, so a cached file is the same photo whichever run made it. Generation is one libvips
 * pipeline per photo (a small noise image made in JS and upscaled, the faces composited as raw pixels
 * decoded once per portrait, one JPEG encode), two photos at a time; the old recipe (libvips gaussian
 * noise at full size, each face re-encoded) took 4 s a photo under load, this one about a quarter.
 */
import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { facesDir, repoRoot } from '../support/paths';

/** Bump when the recipe changes, so cached photos of an older recipe are never mixed in. */
const RECIPE = 2;
/** Megapixels and their share of the library (a phone library: mostly 12 MP, some bigger and smaller). */
export const SIZES: [mp: number, share: number][] = [
  [1, 0.15],
  [3, 0.2],
  [8, 0.15],
  [12, 0.35],
  [24, 0.15],
];
/** The background texture is noise at 1/TEXTURE of the photo's size, upscaled (a blotchy, JPEG-realistic surface). */
const TEXTURE = 8;
const PORTRAITS = 400;

function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** One photo's plan: everything but the pixels. */
export interface PlannedPhoto {
  width: number;
  height: number;
  faces: { portrait: number; side: number; left: number; top: number }[];
  tint: { r: number; g: number; b: number };
  textureSeed: number;
}

/** The plan of photo `index` of the library with `seed` (deterministic). */
export function planPhoto(seed: number, index: number): PlannedPhoto {
  const rnd = rng(seed * 1_000_003 + index * 7919 + 1);
  for (let i = 0; i < 3; i++) rnd(); // decorrelate neighbouring seeds
  let pick = rnd();
  const mp = SIZES.find(([, share]) => (pick -= share) < 0)?.[0] ?? 12;
  const width = Math.round(Math.sqrt(mp * 1e6 * (4 / 3)));
  const height = Math.round(width * 0.75);
  const n = Math.floor(rnd() * 9);
  const faces = Array.from({ length: n }, () => {
    // A 250-px LFW portrait holds a ~110-px face: faces from ~3 % to ~12 % of the short side.
    const side = Math.round(height * (0.07 + rnd() * 0.2));
    return {
      portrait: Math.floor(rnd() * PORTRAITS),
      side,
      left: Math.floor(rnd() * (width - side)),
      top: Math.floor(rnd() * (height - side)),
    };
  });
  const tint = { r: 60 + Math.floor(rnd() * 140), g: 90, b: 60 + Math.floor(rnd() * 140) };
  return { width, height, faces, tint, textureSeed: Math.floor(rnd() * 2 ** 31) };
}

const portraitFiles = (() => {
  let files: string[] | null = null;
  return () => {
    if (!files) {
      const lfw = path.join(facesDir, 'lfw_dev');
      files = readdirSync(lfw)
        .sort()
        .slice(0, PORTRAITS)
        .map((p) => path.join(lfw, p, readdirSync(path.join(lfw, p)).sort()[0]!));
      if (files.length < PORTRAITS)
        throw new Error(`lfw_dev has ${files.length} people, the bench needs ${PORTRAITS}`);
    }
    return files;
  };
})();

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}
const portraits = new Map<number, Promise<Raw>>();

/** A portrait's pixels, decoded once per run. */
function portrait(i: number): Promise<Raw> {
  let p = portraits.get(i);
  if (!p) {
    p = sharp(portraitFiles()[i])
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => ({ data, width: info.width, height: info.height }));
    portraits.set(i, p);
  }
  return p;
}

const rawOf = (r: Raw) => ({ width: r.width, height: r.height, channels: 3 as const });

/** Writes one planned photo as a JPEG (to a temporary name first, so a killed run leaves no half file). */
async function writePhoto(plan: PlannedPhoto, file: string): Promise<void> {
  const tw = Math.ceil(plan.width / TEXTURE);
  const th = Math.ceil(plan.height / TEXTURE);
  const rnd = rng(plan.textureSeed);
  const noise = Buffer.alloc(tw * th * 3);
  const { r, g, b } = plan.tint;
  for (let i = 0; i < tw * th; i++) {
    const v = (rnd() - 0.5) * 120;
    noise[i * 3] = Math.max(0, Math.min(255, r + v));
    noise[i * 3 + 1] = Math.max(0, Math.min(255, g + v));
    noise[i * 3 + 2] = Math.max(0, Math.min(255, b + v));
  }
  const parts: OverlayOptions[] = await Promise.all(
    plan.faces.map(async (f) => {
      const src = await portrait(f.portrait);
      const input = await sharp(src.data, { raw: rawOf(src) })
        .resize(f.side, f.side, { fit: 'fill' })
        .raw()
        .toBuffer();
      return {
        input,
        raw: { width: f.side, height: f.side, channels: 3 as const },
        left: f.left,
        top: f.top,
      };
    }),
  );
  const background = await sharp(noise, { raw: { width: tw, height: th, channels: 3 } })
    .resize(plan.width, plan.height, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  const tmp = `${file}.part`;
  await sharp(background, { raw: { width: plan.width, height: plan.height, channels: 3 } })
    .composite(parts)
    .jpeg({ quality: 88 })
    .toFile(tmp);
  renameSync(tmp, file);
}

export interface GeneratedLibrary {
  /** A folder holding exactly the `count` photos (hard links into the cache). */
  folder: string;
  faces: number;
  /** Photos generated by this call (the rest came from the cache). */
  generated: number;
  ms: number;
}

/**
 * The first `count` photos of the library with `seed`, generated where the cache lacks them, linked
 * into `folder` (which must not exist yet).
 */
export async function libraryPhotos(count: number, seed: number, folder: string): Promise<GeneratedLibrary> {
  const started = performance.now();
  const cache = path.join(repoRoot, 'test-results', 'bench-library', `seed-${seed}-recipe-${RECIPE}`);
  mkdirSync(cache, { recursive: true });
  mkdirSync(folder, { recursive: true });
  let faces = 0;
  let generated = 0;
  let next = 0;
  const one = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const plan = planPhoto(seed, i);
      faces += plan.faces.length;
      const name = `p${String(i).padStart(5, '0')}.jpg`;
      const cached = path.join(cache, name);
      if (!existsSync(cached)) {
        await writePhoto(plan, cached);
        generated++;
        if (generated % 100 === 0) console.error(`bench library: generated ${generated} photos …`);
      }
      try {
        linkSync(cached, path.join(folder, name));
      } catch {
        copyFileSync(cached, path.join(folder, name)); // another file system
      }
    }
  };
  await Promise.all([one(), one()]);
  return { folder, faces, generated, ms: performance.now() - started };
}
