/**
 * The face pipeline for one photo: decode → detect (pyramid) → 68 landmarks → 5 points → align →
 * quality → embed. This is what a vision worker runs; it is plain async code with no threads of its
 * own, so callers decide where it runs (vision-pool.ts puts it on worker threads). analysePhoto is
 * preparePhoto (the decode) then analysePrepared (the rest), so a worker can decode ahead.
 * All boxes and points it returns are in full-resolution oriented pixels (what the catalog stores),
 * although the work happens on the decoded raster (see decode.ts: capped at maxPixels, and at the
 * scale the detection plan needs).
 * [Note: face detail] A face that is small in a downscaled raster (a guest at the back of a 24-MP group
 * photo) is landmarked and aligned on full-resolution pixels instead: one extra decode per photo, of
 * the region around all such faces, so the 112-px aligned face is not an upsampled 30-px blur.
 */
import type { Point } from '../../api/common';
import { decodePhoto, decodeRegion, type DecodeOptions, type DecodedPhoto } from './decode';
import { alignFace } from './align';
import { detectFaces, type Detection } from './detector';
import { embedAligned } from './embedder';
import { faceLandmarks, type Box } from './landmarks';
import { modelFor } from './model-manifest';
import { chosenProvider } from './onnx-session';
import { MODEL_MIN_FACE } from './pyramid';
import { faceQuality, type FaceQuality } from './quality';
import type { RgbRaster } from './raster';

export interface AnalyseOptions extends DecodeOptions {
  /**
   * Smallest face box height to look for, full-resolution pixels. On a photo bigger than maxPixels the
   * floor is MODEL_MIN_FACE raster pixels (≈ 28 px of a 12-MP photo, 57 px of a 48-MP one at 6 MP).
   */
  minFaceSize?: number;
  /** Detector confidence threshold 0..1. */
  minScore?: number;
  /** Stops between stages (the photo is then abandoned with an AbortError). */
  signal?: AbortSignal;
}

/**
 * Defaults. Faces under ~32 px are too small to recognise reliably and cost the most to find (the
 * tiled pyramid's windows grow as 1/size²). Score 0.7: on dlib's group photos 0.5 to 0.8 all gave
 * 43/43 true faces and no false positive; 0.7 sits inside that range.
 */
export const DEFAULT_MIN_FACE_SIZE = 32;
export const DEFAULT_MIN_SCORE = 0.7;

export interface AnalysedFace {
  box: Box;
  score: number;
  /** 5 points: subject's right eye, left eye, nose tip, mouth corners (image left, right). */
  landmarks: Point[];
  quality: FaceQuality;
  /** L2-normalised, 512 floats. */
  embedding: Float32Array;
}

/** Milliseconds per stage (landmarks/align/embed summed over faces). */
export interface StageTimings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  total: number;
}

export interface PhotoAnalysis {
  width: number;
  height: number;
  orientation: number;
  format: string;
  faces: AnalysedFace[];
  timings: StageTimings;
  /** Damage the decoder worked around (see decode.ts): faces may be missing or wrong. */
  warnings: string[];
  /** The ONNX Runtime execution provider the models ran on (shown in Settings and `visage status`). */
  provider: string | null;
}

/** Model ids behind these faces, for photos.faces_model / faces.model_id. */
export function facesModelId(): string {
  return (['detector', 'landmarks', 'embedder'] as const).map((role) => modelFor(role).id).join('+');
}

function newTimings(): StageTimings {
  return { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, total: 0 };
}

async function timed<T>(
  t: StageTimings,
  stage: Exclude<keyof StageTimings, 'total'>,
  fn: () => Promise<T>,
): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    t[stage] += performance.now() - start;
  }
}

const toRaster = (v: number, d: DecodedPhoto) => v * d.scale;

/** Pixels faces are described on: full-resolution (x, y) = (x0 + u / scale, y0 + v / scale). */
interface View {
  image: RgbRaster;
  scale: number;
  x0: number;
  y0: number;
}

const rasterView = (d: DecodedPhoto): View => ({ image: d.image, scale: d.scale, x0: 0, y0: 0 });

/**
 * Faces shorter than this (raster px) in a raster downscaled by more than DETAIL_MIN_GAIN get
 * full-resolution pixels ([Note: face detail]); the aligned face is 112 px and covers about 1.1 face heights.
 */
const DETAIL_FACE = 80;
const DETAIL_MIN_GAIN = 1.25;
/** Margin around a face box for its landmark crop and alignment, in box heights. */
const DETAIL_MARGIN = 0.75;
/** The full-resolution region is skipped when the faces are so spread out that it would exceed this. */
const DETAIL_MAX_PIXELS = 24_000_000;

/** Landmarks → align → quality → embed for one face box given in full-resolution pixels. */
async function describeFace(
  view: View,
  full: Detection,
  t: StageTimings,
  signal?: AbortSignal,
): Promise<AnalysedFace> {
  signal?.throwIfAborted();
  const { image, scale, x0, y0 } = view;
  const det = { x: (full.x - x0) * scale, y: (full.y - y0) * scale, w: full.w * scale, h: full.h * scale };
  const pts = await timed(t, 'landmarks', () => faceLandmarks(image, det));
  const aligned = await timed(t, 'align', () => Promise.resolve(alignFace(image, pts)));
  const embedding = await timed(t, 'embed', () => embedAligned(aligned.face));
  const box = { x: full.x, y: full.y, w: full.w, h: full.h };
  const landmarks = pts.map(([x, y]): Point => [x0 + x / scale, y0 + y / scale]);
  return {
    box,
    score: full.score,
    landmarks,
    quality: faceQuality(box.h, aligned.face, landmarks),
    embedding,
  };
}

function result(d: DecodedPhoto, faces: AnalysedFace[], t: StageTimings, start: number): PhotoAnalysis {
  t.total = performance.now() - start;
  return {
    width: d.width,
    height: d.height,
    orientation: d.orientation,
    format: d.format,
    faces,
    timings: t,
    warnings: d.warnings,
    provider: chosenProvider(),
  };
}

/**
 * A photo decoded for analysePrepared: the first half of analysePhoto, split off so a vision worker can
 * decode the next photo (libvips, on libuv's threads) while the current one is in ONNX Runtime
 * ([Note: decode overlap]).
 */
export interface PreparedPhoto {
  file: string;
  decoded: DecodedPhoto;
  /** Wall time of the decode, ms. */
  decodeMs: number;
}

/** Decodes a photo as analysePhoto does. Throws DecodeError for bad files. */
export async function preparePhoto(file: string, opts: AnalyseOptions = {}): Promise<PreparedPhoto> {
  const start = performance.now();
  const planScale = MODEL_MIN_FACE / (opts.minFaceSize ?? DEFAULT_MIN_FACE_SIZE);
  const decoded = await decodePhoto(file, { ...opts, planScale });
  return { file, decoded, decodeMs: performance.now() - start };
}

/** Finds, aligns and embeds every face in a photo. Throws DecodeError for bad files. */
export async function analysePhoto(file: string, opts: AnalyseOptions = {}): Promise<PhotoAnalysis> {
  return analysePrepared(await preparePhoto(file, opts), opts);
}

/** The rest of analysePhoto once the photo is decoded: detect, then describe every face. */
export async function analysePrepared(p: PreparedPhoto, opts: AnalyseOptions = {}): Promise<PhotoAnalysis> {
  const start = performance.now() - p.decodeMs;
  const t = newTimings();
  t.decode = p.decodeMs;
  const { file, decoded: d } = p;
  opts.signal?.throwIfAborted();
  // Never upscale a downscaled raster to chase faces smaller than the cap allows (cost grows as 1/size²).
  const wanted = toRaster(opts.minFaceSize ?? DEFAULT_MIN_FACE_SIZE, d);
  const minFaceSize = d.scale < 1 ? Math.max(wanted, MODEL_MIN_FACE) : wanted;
  const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
  const dets = await timed(t, 'detect', () =>
    detectFaces(d.image, { minFaceSize, minScore, signal: opts.signal }),
  );
  const full = dets.map((b) => ({
    ...b,
    x: b.x / d.scale,
    y: b.y / d.scale,
    w: b.w / d.scale,
    h: b.h / d.scale,
  }));
  const detail = await timed(t, 'decode', () => detailView(file, d, full, opts));
  const faces: AnalysedFace[] = [];
  for (const f of full) {
    const view = detail && f.h * d.scale < DETAIL_FACE ? detail : rasterView(d);
    faces.push(await describeFace(view, f, t, opts.signal));
  }
  return result(d, faces, t, start);
}

/** Full-resolution pixels around the faces that are small in the raster, or null ([Note: face detail]). */
async function detailView(
  file: string,
  d: DecodedPhoto,
  faces: readonly Detection[],
  opts: DecodeOptions,
): Promise<View | null> {
  if (1 / d.scale < DETAIL_MIN_GAIN) return null;
  const small = faces.filter((f) => f.h * d.scale < DETAIL_FACE);
  if (small.length === 0) return null;
  const m = (f: Detection) => DETAIL_MARGIN * f.h;
  const left = Math.min(...small.map((f) => f.x - m(f)));
  const top = Math.min(...small.map((f) => f.y - m(f)));
  const right = Math.max(...small.map((f) => f.x + f.w + m(f)));
  const bottom = Math.max(...small.map((f) => f.y + f.h + m(f)));
  const rect = { left, top, width: right - left, height: bottom - top };
  if (rect.width * rect.height > DETAIL_MAX_PIXELS) return null;
  const region = await decodeRegion(file, d, rect, opts);
  return { image: region.image, scale: 1, x0: region.rect.left, y0: region.rect.top };
}

/** Embeds the face inside a hand-drawn box (full-resolution oriented pixels); score is 1. */
export async function embedFromBox(file: string, box: Box, opts: DecodeOptions = {}): Promise<PhotoAnalysis> {
  if (!(box.w >= 2 && box.h >= 2) || ![box.x, box.y].every(Number.isFinite)) {
    throw new RangeError(
      `A face box needs a finite position and a size of at least 2×2 px, got ${JSON.stringify(box)}`,
    );
  }
  const start = performance.now();
  const t = newTimings();
  const d = await timed(t, 'decode', () => decodePhoto(file, opts));
  const det = { ...box, score: 1 };
  const detail = await timed(t, 'decode', () => detailView(file, d, [det], opts));
  const face = await describeFace(detail ?? rasterView(d), det, t);
  return result(d, [face], t, start);
}

/**
 * For images that ARE a face crop (64×64 to ~250 px chips): detect on the crop padded by half its
 * size (so a face filling the frame is not cut at the window edge) and take the largest face; when the
 * detector finds nothing (too tight a crop), the whole image is the box.
 */
export async function analyseCrop(file: string, opts: AnalyseOptions = {}): Promise<PhotoAnalysis> {
  const start = performance.now();
  const t = newTimings();
  const d = await timed(t, 'decode', () => decodePhoto(file, opts));
  const { width: w, height: h } = d.image;
  const padX = Math.round(w / 2);
  const padY = Math.round(h / 2);
  const padded = padRaster(d.image, padX, padY);
  const minScore = opts.minScore ?? 0.5;
  const dets = await timed(t, 'detect', () =>
    detectFaces(padded, { minFaceSize: Math.min(w, h) / 4, minScore }),
  );
  const largest = dets.sort((p, q) => q.w * q.h - p.w * p.h)[0];
  const det: Detection = largest
    ? { ...largest, x: largest.x - padX, y: largest.y - padY }
    : { x: 0, y: 0, w, h, score: 0 };
  const inFull = { ...det, x: det.x / d.scale, y: det.y / d.scale, w: det.w / d.scale, h: det.h / d.scale };
  const face = await describeFace(rasterView(d), inFull, t, opts.signal);
  return result(d, [face], t, start);
}

/** The raster with a border of mid-grey (what the detector reads as "nothing"). */
function padRaster(src: RgbRaster, px: number, py: number): RgbRaster {
  const width = src.width + 2 * px;
  const height = src.height + 2 * py;
  const data = new Uint8Array(width * height * 3).fill(127);
  for (let y = 0; y < src.height; y++) {
    data.set(src.data.subarray(y * src.width * 3, (y + 1) * src.width * 3), ((y + py) * width + px) * 3);
  }
  return { data, width, height };
}
