/**
 * Face detection with the RFB-320 model over the pyramid of pyramid.ts ([Note: detection pyramid]).
 * The graph is the fully convolutional cut of the shipped model ([Note: fully convolutional detector]):
 * each tile of a level is one pass at its own size, and anchors.ts turns the head maps into boxes;
 * thresholding and NMS happen here. Level images are resized by sharp (libvips, a proper filter for
 * big reductions).
 */
import sharp from 'sharp';
import { decodeAnchors } from './anchors';
import { nms, type Scored } from './nms';
import { loadModel, runModelTensors, type LoadedModel } from './onnx-session';
import { planPyramid, type Level, type Tile } from './pyramid';
import type { RgbRaster } from './raster';

export interface DetectOptions {
  /** Smallest face height to find, in the raster's pixels. */
  minFaceSize: number;
  /** Detector confidence threshold, 0..1. */
  minScore: number;
  /** Checked before every tile, so a cancelled 12-MP photo stops within milliseconds. */
  signal?: AbortSignal | undefined;
}

export interface Detection {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** Tile-level NMS threshold (the RFB-320 reference uses 0.3). */
const TILE_IOU = 0.3;
/** Across levels and tiles the same face comes back with slightly different boxes: merge harder. */
const MERGE_IOU = 0.4;
const MERGE_IOS = 0.75;
/** A box this close (input px) to an inner tile edge is a face cut by the tile. */
const EDGE = 2;
/** Face height the detector is most at home with; NMS prefers detections near it. */
const SWEET_FACE = 64;
/**
 * Widest box (w / h) kept. This detector's face boxes are taller than wide (w/h 0.57–0.88, median 0.72, on
 * the 72 faces of the dlib and face_recognition photos); the wide boxes it does return on upscaled
 * photos are partial faces (a band across eyes and glasses, w/h 1.19 and 1.75 in the engine bench).
 */
const MAX_ASPECT = 1.15;

async function resizeRaster(src: RgbRaster, width: number, height: number): Promise<RgbRaster> {
  if (width === src.width && height === src.height) return src;
  const data = await sharp(src.data, { raw: { width: src.width, height: src.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height };
}

/** Padding byte: 127 becomes ≈0 after (x − 127) / 128, i.e. "no signal" (what zero padding is). */
const PAD = 127;

/** The tile of img as the detector's uint8 NHWC input, padded to tile.inW × tile.inH. */
function tileInput(img: RgbRaster, tile: Tile): Uint8Array {
  const row = tile.w * 3;
  const at = (tile.y * img.width + tile.x) * 3;
  if (tile.w === img.width && tile.w === tile.inW && tile.h === tile.inH)
    return img.data.subarray(at, at + row * tile.h);
  const out = new Uint8Array(tile.inW * tile.inH * 3).fill(PAD);
  for (let y = 0; y < tile.h; y++) {
    const k = ((tile.y + y) * img.width + tile.x) * 3;
    out.set(img.data.subarray(k, k + row), y * tile.inW * 3);
  }
  return out;
}

/** Candidates of one detector input of width × height, in its pixels, after thresholding and NMS. */
export async function detectInput(
  model: LoadedModel,
  input: Uint8Array,
  width: number,
  height: number,
  minScore: number,
): Promise<Scored[]> {
  const spec = model.entry.anchors;
  if (!spec) throw new Error(`Model ${model.entry.id} has no anchors: not a fully convolutional detector`);
  const out = await runModelTensors(model, input, [1, height, width, 3]);
  const found = decodeAnchors(spec, out, width, height, minScore).filter((b) => b.w > 0 && b.h > 0);
  return nms(found, { iou: TILE_IOU });
}

/** Whether a box touches a tile edge that lies inside the level image (a cut face). */
function cutByTile(b: Scored, tile: Tile, level: Level): boolean {
  return (
    (tile.x > 0 && b.x < EDGE) ||
    (tile.y > 0 && b.y < EDGE) ||
    (tile.x + tile.w < level.width && b.x + b.w > tile.w - EDGE) ||
    (tile.y + tile.h < level.height && b.y + b.h > tile.h - EDGE)
  );
}

/** Detects faces in an oriented RGB raster; boxes are in the raster's pixels, best first. */
export async function detectFaces(image: RgbRaster, opts: DetectOptions): Promise<Detection[]> {
  const model = await loadModel('detector');
  const candidates: Scored[] = [];
  for (const level of planPyramid(image.width, image.height, opts.minFaceSize)) {
    const scaled = await resizeRaster(image, level.width, level.height);
    const tiled = level.tiles.length > 1 || level.maxFace !== Infinity;
    for (const tile of level.tiles) {
      opts.signal?.throwIfAborted();
      const found = await detectInput(model, tileInput(scaled, tile), tile.inW, tile.inH, opts.minScore);
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
