/**
 * Labelled face embeddings for the people bench, with a persistent cache (test-results/bench-cache,
 * git-ignored) keyed by set and embedder model, so re-running the bench does not re-run the models.
 * - glint_celebs24: aligned 112×112 crops go straight into the embedder.
 * - lfw_dev (people with ≥ 2 images): 250×250 photos through the face pipeline (analysePhoto); the main
 *   face is the detected face nearest the image centre (LFW photos can show other people near the
 *   border). Photos where nothing is detected are embedded from the whole image, and counted.
 * - bollywood_33: 64×64 face crops through the pipeline's crop path (analyseCrop), as the set's README
 *   advises (the detector needs the crop padded).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ALIGNED_SIZE, embedAligned, EMBEDDING_SIZE } from '../../main/engine/vision/embedder';
import { analyseCrop, analysePhoto, embedFromBox } from '../../main/engine/vision/face-pipeline';
import { modelFor } from '../../main/engine/vision/model-manifest';
import { laplacianVariance } from '../../main/engine/vision/quality';
import { facesDir, repoRoot } from '../support/paths';

export type BenchSet = 'lfw_dev' | 'bollywood_33' | 'glint_celebs24';

export interface BenchFace {
  label: string;
  file: string;
  embedding: Float32Array;
  /** Quality from the face pipeline (null for aligned crops). */
  quality: { overall: number; size: number; blur: number; pose: number } | null;
  /** How the face was found. */
  via: 'aligned' | 'detected' | 'whole-crop' | 'tiny' | 'blurred';
}

interface CacheEntry {
  label: string;
  file: string;
  quality: BenchFace['quality'];
  via: BenchFace['via'];
}

const cacheDir = path.join(repoRoot, 'test-results', 'bench-cache');

function listSet(set: BenchSet, minPerPerson: number): { label: string; file: string }[] {
  const root = path.join(facesDir, set);
  if (!existsSync(root)) throw new Error(`Face set not found: ${root} (set VISAGE_FACES)`);
  const out: { label: string; file: string }[] = [];
  for (const d of readdirSync(root, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const files = readdirSync(path.join(root, d.name))
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (files.length < minPerPerson) continue;
    for (const f of files) out.push({ label: d.name, file: path.join(d.name, f) });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** bollywood_33's labels come from labels.csv (file-name prefix), not the folder: see its README. */
function bollywoodLabels(): Map<string, string> {
  const csv = readFileSync(path.join(facesDir, 'bollywood_33', 'labels.csv'), 'utf8')
    .trim()
    .split('\n');
  const map = new Map<string, string>();
  for (const line of csv.slice(1)) {
    const [image, identity] = line.split(',');
    if (image && identity) map.set(image, identity);
  }
  return map;
}

async function alignedRgb(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file)
    .removeAlpha()
    .resize(ALIGNED_SIZE, ALIGNED_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

async function embedOne(
  set: BenchSet,
  abs: string,
): Promise<[Float32Array, CacheEntry['quality'], CacheEntry['via']]> {
  if (set === 'glint_celebs24') return [await embedAligned(await alignedRgb(abs)), null, 'aligned'];
  if (set === 'bollywood_33') {
    const f = (await analyseCrop(abs)).faces[0]!;
    return [f.embedding, f.quality, f.score > 0 ? 'detected' : 'whole-crop'];
  }
  const { width, height, faces } = await analysePhoto(abs);
  if (faces.length === 0) {
    const f = (await embedFromBox(abs, { x: 0, y: 0, w: width, h: height })).faces[0]!;
    return [f.embedding, f.quality, 'whole-crop'];
  }
  const d = (f: (typeof faces)[number]): number =>
    Math.hypot(f.box.x + f.box.w / 2 - width / 2, f.box.y + f.box.h / 2 - height / 2);
  const main = faces.reduce((best, f) => (d(f) < d(best) ? f : best));
  return [main.embedding, main.quality, 'detected'];
}

/** Embeddings of a bench set, from the cache when it matches the current model. */
export async function loadBenchSet(
  set: BenchSet,
  log: (line: string) => void = () => undefined,
): Promise<BenchFace[]> {
  const items = listSet(set, set === 'lfw_dev' ? 2 : 1);
  const labels = set === 'bollywood_33' ? bollywoodLabels() : null;
  const model = modelFor('embedder').id;
  const pipelineTag = set === 'glint_celebs24' ? 'aligned' : set === 'bollywood_33' ? 'crop-v1' : 'photo-v1';
  const base = path.join(cacheDir, `${set}-${model}-${pipelineTag}`);
  let entries: CacheEntry[] | null = null;
  let vectors: Float32Array | null = null;
  if (existsSync(`${base}.json`) && existsSync(`${base}.bin`)) {
    entries = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as CacheEntry[];
    const buf = readFileSync(`${base}.bin`);
    vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (entries.length !== items.length || vectors.length !== items.length * EMBEDDING_SIZE) entries = null;
  }
  if (!entries || !vectors) {
    entries = [];
    vectors = new Float32Array(items.length * EMBEDDING_SIZE);
    for (const [i, item] of items.entries()) {
      const [v, quality, via] = await embedOne(set, path.join(facesDir, set, item.file));
      vectors.set(v, i * EMBEDDING_SIZE);
      const label = labels?.get(item.file) ?? item.label;
      entries.push({ label, file: item.file, quality, via });
      if (i % 500 === 499) log(`  ${set}: ${i + 1}/${items.length} embedded`);
    }
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${base}.json`, JSON.stringify(entries));
    writeFileSync(`${base}.bin`, Buffer.from(vectors.buffer));
  }
  const vs = vectors;
  return entries.map((e, i) => ({ ...e, embedding: vs.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE) }));
}

/**
 * glint_celebs24 with two thirds of the faces degraded, for measuring quality gating: every third face is
 * shrunk to 12, 16, 24 or 32 px (in turn) and scaled back (a tiny face in a group photo), every third
 * blurred (Gaussian σ 3); the rest are left clean. Quality is measured as the pipeline does (Laplacian variance of the aligned face);
 * size is the simulated face height.
 */
export async function loadDegradedGlint(log: (line: string) => void = () => undefined): Promise<BenchFace[]> {
  const clean = await loadBenchSet('glint_celebs24', log);
  const base = path.join(cacheDir, `glint_degraded-${modelFor('embedder').id}-v2`);
  if (existsSync(`${base}.json`) && existsSync(`${base}.bin`)) {
    const entries = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as CacheEntry[];
    const buf = readFileSync(`${base}.bin`);
    const vs = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (entries.length === clean.length)
      return entries.map((e, i) => ({
        ...e,
        embedding: vs.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE),
      }));
  }
  const entries: CacheEntry[] = [];
  const vectors = new Float32Array(clean.length * EMBEDDING_SIZE);
  for (const [i, face] of clean.entries()) {
    const abs = path.join(facesDir, 'glint_celebs24', face.file);
    const kind = i % 3;
    const tiny = [12, 16, 24, 32][Math.floor(i / 3) % 4]!;
    let img = sharp(abs).removeAlpha();
    if (kind === 1)
      img = sharp(await img.resize(tiny, tiny, { fit: 'fill' }).png().toBuffer()).resize(
        ALIGNED_SIZE,
        ALIGNED_SIZE,
        {
          fit: 'fill',
        },
      );
    else if (kind === 2) img = img.blur(3);
    const { data } = await img
      .resize(ALIGNED_SIZE, ALIGNED_SIZE, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    vectors.set(await embedAligned(rgb), i * EMBEDDING_SIZE);
    const quality = {
      overall: 0,
      size: kind === 1 ? tiny : ALIGNED_SIZE,
      blur: laplacianVariance(rgb),
      pose: 0,
    };
    entries.push({
      label: face.label,
      file: face.file,
      quality,
      via: kind === 0 ? 'aligned' : kind === 1 ? 'tiny' : 'blurred',
    });
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${base}.json`, JSON.stringify(entries));
  writeFileSync(`${base}.bin`, Buffer.from(vectors.buffer));
  return entries.map((e, i) => ({
    ...e,
    embedding: vectors.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE),
  }));
}
