/**
 * Face detection with the RFB-320 model over the pyramid of pyramid.ts ([Note: detection pyramid]).
 * The model's outputs are already decoded boxes (normalised x1,y1,x2,y2 of the 320×240 window) and
 * two-class scores; thresholding and NMS happen here. Level images are resized by sharp (libvips, a
 * proper filter for big reductions); windows are copied out of them with grey padding.
 */
import sharp from 'sharp';
import { nms, type Scored } from './nms';
import { loadModel, runModel, type LoadedModel } from './onnx-session';
import { MODEL_H, MODEL_W, planPyramid, type Level, type Tile } from './pyramid';
import type { RgbRaster } from './raster';

export interface DetectOptions {
  /** Smallest face height to find, in the raster's pixels. */
  minFaceSize: number;
  /** Detector confidence threshold, 0..1. */
  minScore: number;
  /** Checked before every window, so a cancelled 12-MP photo stops within milliseconds. */
  signal?: AbortSignal | undefined;
}

export interface Detection {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** Window-level NMS threshold (the RFB-320 reference uses 0.3). */
const TILE_IOU = 0.3;
/** Across levels and tiles the same face comes back with slightly different boxes: merge harder. */
const MERGE_IOU = 0.4;
const MERGE_IOS = 0.75;
/** A box this close (window px) to an inner tile edge is a face cut by the tile. */
const EDGE = 2;
/** Window face height the detector is most at home with; NMS prefers detections near it. */
const SWEET_FACE = 64;
/**
 * Widest box (w / h) kept. This detector's face boxes are taller than wide (w/h 0.57–0.88, median 0.72, on
 * the 72 faces of the dlib and face_recognition photos); the wide boxes it does return on upscaled
 * photos are partial faces (a band across eyes and glasses, w/h 1.19 and 1.75 in the engine bench).
 */
const MAX_ASPECT = 1.15;
/** Padding value: 127 becomes ≈0 after (x − 127) / 128, i.e. "no signal". */
const PAD = 127;

async function resizeRaster(src: RgbRaster, width: number, height: number): Promise<RgbRaster> {
  if (width === src.width && height === src.height) return src;
  const data = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

/** byte → model input value for (x − mean) / std, computed once per detectFaces call. */
function normaliser(mean: number, std: number): Float32Array {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v - mean) / std;
  return lut;
}

/**
 * Fills `out` (NCHW, reused between windows to spare the GC a megabyte per window) with the 320×240
 * window at (tile.x, tile.y) of img, padded outside the image.
 */
function windowInput(img: RgbRaster, tile: Tile, lut: Float32Array, out: Float32Array): Float32Array {
  const plane = MODEL_W * MODEL_H;
  out.fill(lut[PAD]!);
  const x0 = Math.max(0, -tile.x);
  const x1 = Math.min(MODEL_W, img.width - tile.x);
  for (let y = Math.max(0, -tile.y); y < Math.min(MODEL_H, img.height - tile.y); y++) {
    let k = ((tile.y + y) * img.width + tile.x + x0) * 3;
    for (let o = y * MODEL_W + x0, end = y * MODEL_W + x1; o < end; o++, k += 3) {
      out[o] = lut[img.data[k]!]!;
      out[o + plane] = lut[img.data[k + 1]!]!;
      out[o + 2 * plane] = lut[img.data[k + 2]!]!;
    }
  }
  return out;
}

/** Candidates of one window, in window pixels, after thresholding and window NMS. */
export async function detectWindow(
  model: LoadedModel,
  input: Float32Array,
  minScore: number,
): Promise<Scored[]> {
  const { scores, boxes } = await runModel(model, input);
  const found: Scored[] = [];
  const n = scores!.length / 2;
  for (let i = 0; i < n; i++) {
    const score = scores![i * 2 + 1]!;
    if (score < minScore) continue;
    const x1 = boxes![i * 4]! * MODEL_W;
    const y1 = boxes![i * 4 + 1]! * MODEL_H;
    const x2 = boxes![i * 4 + 2]! * MODEL_W;
    const y2 = boxes![i * 4 + 3]! * MODEL_H;
    if (x2 > x1 && y2 > y1) found.push({ x: x1, y: y1, w: x2 - x1, h: y2 - y1, score });
  }
  return nms(found, { iou: TILE_IOU });
}

/** Whether a window box touches a window edge that lies inside the level image (a cut face). */
function cutByTile(b: Scored, tile: Tile, level: Level): boolean {
  return (
    (tile.x > 0 && b.x < EDGE) ||
    (tile.y > 0 && b.y < EDGE) ||
    (tile.x + MODEL_W < level.width && b.x + b.w > MODEL_W - EDGE) ||
    (tile.y + MODEL_H < level.height && b.y + b.h > MODEL_H - EDGE)
  );
}

/** Detects faces in an oriented RGB raster; boxes are in the raster's pixels, best first. */
export async function detectFaces(image: RgbRaster, opts: DetectOptions): Promise<Detection[]> {
  const model = await loadModel('detector');
  const lut = normaliser(model.entry.preprocess.mean, model.entry.preprocess.std);
  const input = new Float32Array(MODEL_W * MODEL_H * 3);
  const candidates: Scored[] = [];
  for (const level of planPyramid(image.width, image.height, opts.minFaceSize)) {
    const scaled = await resizeRaster(image, level.width, level.height);
    const tiled = level.tiles.length > 1 || level.maxFace !== Infinity;
    for (const tile of level.tiles) {
      opts.signal?.throwIfAborted();
      const found = await detectWindow(model, windowInput(scaled, tile, lut, input), opts.minScore);
      for (const b of found) {
        if (b.h < level.minFace || b.h > level.maxFace || b.w > MAX_ASPECT * b.h) continue;
        if (tiled && cutByTile(b, tile, level)) continue;
        const sizePenalty = Math.min(2, Math.abs(Math.log2(b.h / SWEET_FACE)));
        candidates.push({
          x: (b.x + tile.x) / level.scale,
          y: (b.y + tile.y) / level.scale,
          w: b.w / level.scale,
          h: b.h / level.scale,
          score: b.score,
          rank: b.score - 0.02 * sizePenalty,
        });
      }
    }
  }
  return nms(candidates, { iou: MERGE_IOU, ios: MERGE_IOS }).map(({ x, y, w, h, score }) => ({
    x,
    y,
    w,
    h,
    score,
  }));
}
