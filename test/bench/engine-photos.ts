/**
 * The photo sets of the engine bench and their true face boxes.
 * - "originals": the multi-face photos of the shared sets at their own size (dlib_faces, the faceapi_bbt
 *   cast photos, the face_recognition group photos).
 * - "12 MP": real multi-face photos made at bench time in a temp folder (never in the repo) by
 *   upscaling those photos to ~12 MP and by tiling them into 4000×3000 mosaics (2×2 and 4×4), so faces
 *   are small relative to the frame, as in a real group shot from a phone.
 * True boxes come from dlib's imglab XML (training.xml + testing.xml) and follow each photo through the
 * upscale or into its mosaic cell (scale + offset), so recall can be measured on both sets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import type { Rect } from '../../main/engine/vision/nms';
import { face } from '../support/paths';

export interface BenchPhoto {
  /** Short name for tables. */
  name: string;
  file: string;
  /** True face boxes in the photo's pixels, or null when the photo has no box labels. */
  truth: Rect[] | null;
  /**
   * Where the truth is complete: the whole photo, or the mosaic cells made from labelled photos. A
   * detection outside these (in an unlabelled cell) is neither a hit nor a false positive.
   */
  labelled: Rect[];
}

const GROUP_PHOTOS = [
  'face_recognition/examples/two_people.jpg',
  'face_recognition/examples/knn_examples/test/obama_and_biden.jpg',
  'face_recognition/examples/knn_examples/test/kit_with_rose.jpg',
];
const BBT = [1, 2, 3, 4, 5].map((i) => `faceapi_bbt/bbt${i}.jpg`);
const DLIB = [
  '2007_007763.jpg',
  '2008_001009.jpg',
  '2008_001322.jpg',
  '2008_002079.jpg',
  '2008_002470.jpg',
  '2008_002506.jpg',
  '2008_004176.jpg',
  '2008_007676.jpg',
  '2009_004587.jpg',
  'Tom_Cruise_avp_2014_4.jpg',
  'bald_guys.jpg',
].map((f) => `dlib_faces/${f}`);

/** dlib's imglab XML → file name → boxes. The files are simple and fixed, so a regex reads them. */
export function dlibTruth(): Map<string, Rect[]> {
  const out = new Map<string, Rect[]>();
  for (const xml of ['training.xml', 'testing.xml']) {
    const text = readFileSync(face('dlib_faces', xml), 'latin1');
    for (const m of text.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
      const boxes: Rect[] = [];
      for (const b of m[2]!.matchAll(/<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)'/g)) {
        boxes.push({ y: Number(b[1]), x: Number(b[2]), w: Number(b[3]), h: Number(b[4]) });
      }
      out.set(m[1]!, boxes);
    }
  }
  if (out.size === 0) throw new Error('No boxes read from dlib_faces/*.xml');
  return out;
}

function truthFor(rel: string, truth: Map<string, Rect[]>): Rect[] | null {
  return rel.startsWith('dlib_faces/') ? (truth.get(path.basename(rel)) ?? null) : null;
}

/** The original multi-face photos (19), with dlib's boxes where it has them. */
export function originalPhotos(): BenchPhoto[] {
  const truth = dlibTruth();
  return [...DLIB, ...BBT, ...GROUP_PHOTOS].map((rel) => {
    const boxes = truthFor(rel, truth);
    // The whole frame is labelled; 1e6 stands for "any size" (these photos are < 2000 px).
    const labelled = boxes ? [{ x: 0, y: 0, w: 1e6, h: 1e6 }] : [];
    return { name: path.basename(rel, path.extname(rel)), file: face(rel), truth: boxes, labelled };
  });
}

/** A generated set's size: photos of `pixels`, mosaics of mosaicW × mosaicH. */
interface BigSet {
  prefix: string;
  pixels: number;
  mosaicW: number;
  mosaicH: number;
}
const TWELVE: BigSet = { prefix: '', pixels: 12_000_000, mosaicW: 4000, mosaicH: 3000 };
const TWENTY_FOUR: BigSet = { prefix: '24mp-', pixels: 24_000_000, mosaicW: 6000, mosaicH: 4000 };
const JPEG = { quality: 90, mozjpeg: false } as const;
/** Mid-grey mosaic background (letterbox around cells whose aspect is not 4:3). */
const GREY = { r: 128, g: 128, b: 128 };

const scaleRect = (r: Rect, s: number, dx = 0, dy = 0): Rect => ({
  x: r.x * s + dx,
  y: r.y * s + dy,
  w: r.w * s,
  h: r.h * s,
});

async function upscale(src: BenchPhoto, dir: string, set: BigSet): Promise<BenchPhoto> {
  const meta = await sharp(src.file).rotate().metadata();
  const w0 = meta.autoOrient.width;
  const h0 = meta.autoOrient.height;
  const s = Math.sqrt(set.pixels / (w0 * h0));
  const w = Math.round(w0 * s);
  const h = Math.round(h0 * s);
  const file = path.join(dir, `${set.prefix}up-${src.name}.jpg`);
  await sharp(src.file).rotate().resize(w, h, { fit: 'fill', kernel: 'lanczos3' }).jpeg(JPEG).toFile(file);
  const truth = src.truth?.map((r) => scaleRect(r, w / w0)) ?? null;
  return { name: `${set.prefix}up-${src.name}`, file, truth, labelled: truth ? [{ x: 0, y: 0, w, h }] : [] };
}

/** Tiles `cells` photos into a cols×rows 4000×3000 mosaic, each fitted (not cropped) into its cell. */
async function mosaic(
  name: string,
  cells: BenchPhoto[],
  cols: number,
  rows: number,
  dir: string,
  set: BigSet,
): Promise<BenchPhoto> {
  const cw = set.mosaicW / cols;
  const ch = set.mosaicH / rows;
  const parts: OverlayOptions[] = [];
  const truth: Rect[] = [];
  const labelled: Rect[] = [];
  for (let i = 0; i < cells.length; i++) {
    const src = cells[i]!;
    const meta = await sharp(src.file).rotate().metadata();
    const s = Math.min(cw / meta.autoOrient.width, ch / meta.autoOrient.height);
    const w = Math.round(meta.autoOrient.width * s);
    const h = Math.round(meta.autoOrient.height * s);
    const left = (i % cols) * cw + Math.floor((cw - w) / 2);
    const top = Math.floor(i / cols) * ch + Math.floor((ch - h) / 2);
    const input = await sharp(src.file).rotate().resize(w, h, { fit: 'fill', kernel: 'lanczos3' }).toBuffer();
    parts.push({ input, left, top });
    if (src.truth) {
      labelled.push({ x: left, y: top, w, h });
      truth.push(...src.truth.map((r) => scaleRect(r, w / meta.autoOrient.width, left, top)));
    }
  }
  const file = path.join(dir, `${set.prefix}${name}.jpg`);
  await sharp({ create: { width: set.mosaicW, height: set.mosaicH, channels: 3, background: GREY } })
    .composite(parts)
    .jpeg(JPEG)
    .toFile(file);
  return { name: `${set.prefix}${name}`, file, truth: labelled.length ? truth : null, labelled };
}

/**
 * Makes the 12 MP set in `dir`: 4 upscaled dlib group photos + 2 upscaled cast photos, two 2×2 mosaics of
 * dlib photos (faces ~4× their original size) and one 4×4 mosaic of 16 photos (faces ~2×, the smallest
 * ~70 px in a 4000×3000 frame). 9 photos, all ~12 MP, 6 of them with true boxes.
 */
export function make12MpPhotos(dir: string): Promise<BenchPhoto[]> {
  return makeBigPhotos(dir, TWELVE);
}

/** The same recipe at 24 MP (6000×4000 mosaics): faces are twice the pixels of the 12 MP set. */
export function make24MpPhotos(dir: string): Promise<BenchPhoto[]> {
  return makeBigPhotos(dir, TWENTY_FOUR);
}

async function makeBigPhotos(dir: string, set: BigSet): Promise<BenchPhoto[]> {
  const orig = originalPhotos();
  const by = (n: string) => orig.find((p) => p.name === n)!;
  const withBoxes = orig.filter((p) => p.truth);
  const ups = ['2007_007763', '2008_002079', '2008_002506', '2009_004587', 'bbt1', 'bbt4'].map((n) =>
    upscale(by(n), dir, set),
  );
  const out = await Promise.all(ups);
  out.push(await mosaic('mosaic2x2-a', withBoxes.slice(0, 4), 2, 2, dir, set));
  out.push(await mosaic('mosaic2x2-b', withBoxes.slice(4, 8), 2, 2, dir, set));
  const sixteen = [...withBoxes, ...orig.filter((p) => !p.truth && p.name !== 'Tom_Cruise_avp_2014_4')].slice(
    0,
    16,
  );
  out.push(await mosaic('mosaic4x4', sixteen, 4, 4, dir, set));
  return out;
}
