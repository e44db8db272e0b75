/**
 * [Note: detection pyramid] The detector (RFB-320, trained on 320×240 inputs) finds faces reliably
 * between about MODEL_MIN_FACE and ~200 px of its input. A group photo therefore gets a pyramid: level 0
 * is the whole image fitted into 320×240 (big faces); each next level is the image scaled up by
 * LEVEL_STEP, until the smallest wanted face (minFaceSize) reaches MODEL_MIN_FACE pixels. The detector
 * graph takes any input size ([Note: fully convolutional detector]), so a level is one pass when it
 * fits in TILE_W × TILE_H, else overlapping tiles of that size: bigger inputs run slower per pixel (ORT
 * on one core, measured: CPU per pixel flat up to ~960×704, 1.3× at 1280×960, 1.6× at 2500×1877) and cost memory.
 * Tiles overlap by more than the largest face a tiled level is responsible for, so every such face is
 * whole in some tile; a detection cut by an inner tile edge is dropped (its whole copy is in the
 * neighbour tile). Each level keeps only faces in its own size band, and a global NMS merges the levels.
 * This file is the pure plan (no pixels), so it can be unit-tested and reasoned about on its own.
 */

/** Level 0's frame: the detector's training size. */
export const MODEL_W = 320;
export const MODEL_H = 240;
/** Largest detector input of a finer level (multiples of STRIDE). */
export const TILE_W = 960;
export const TILE_H = 768;
/**
 * The detector's coarsest stride. Its anchors sit at (cell + ½) × input / cells; only when the input is
 * a multiple of the stride does that match where the convolutions actually look (at 320 wide, how it
 * was trained). Otherwise they drift (7 px at the right edge of an 833-px tile, measured as boxes
 * shifted off dlib's truth), so a finer level's inputs are padded up to a multiple of STRIDE and level 0
 * is letterboxed into the 320×240 it was trained on.
 */
export const STRIDE = 64;
/**
 * Smallest face height (window px, RFB box) the detector finds reliably. Measured on 80 LFW faces shrunk
 * and tiled into windows, score ≥ 0.7: recall 0.93 at 16 px, 0.98 at 18, 0.999 at 20, 1.0 from 24 up.
 */
export const MODEL_MIN_FACE = 20;
/** Scale factor between pyramid levels; each level covers faces MODEL_MIN_FACE .. ~LEVEL_STEP× that. */
export const LEVEL_STEP = 3;

export interface Tile {
  /** A rectangle of the level's scaled image (always inside it). */
  x: number;
  y: number;
  w: number;
  h: number;
  /** The detector input's size: the rectangle at its top-left, padded with "no signal" (grey). */
  inW: number;
  inH: number;
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

export interface Level {
  /** Window pixels per image pixel. */
  scale: number;
  /** Scaled image size (ceil of image size × scale). */
  width: number;
  height: number;
  /** Level 0 is one input (the whole image); others are one or more tiles. */
  tiles: Tile[];
  /** Face heights (window px) this level is trusted for; others are left to other levels. */
  minFace: number;
  maxFace: number;
}

/**
 * Tiles covering [0, length): as few as tiles of at most maxSize allow, overlapping by at least
 * `overlap`, each as small as that count allows (so no tile is mostly overlap).
 */
function span(length: number, maxSize: number, overlap: number): { size: number; starts: number[] } {
  if (length <= maxSize) return { size: length, starts: [0] };
  const n = Math.ceil((length - overlap) / (maxSize - overlap));
  const size = Math.min(maxSize, roundUp((length + (n - 1) * overlap) / n, STRIDE));
  const step = (length - size) / (n - 1);
  return { size, starts: Array.from({ length: n }, (_, i) => Math.round(i * step)) };
}

/**
 * Plans the pyramid for an image of width × height, finding faces down to minFaceSize image pixels.
 * maxScale bounds upscaling (a tiny image is not blown up without limit).
 */
export function planPyramid(width: number, height: number, minFaceSize: number, maxScale = 4): Level[] {
  const s0 = Math.min(MODEL_W / width, MODEL_H / height);
  const finest = Math.min(maxScale, MODEL_MIN_FACE / Math.max(1, minFaceSize));
  const w0 = Math.max(1, Math.round(width * s0));
  const h0 = Math.max(1, Math.round(height * s0));
  const levels: Level[] = [
    {
      scale: s0,
      width: w0,
      height: h0,
      tiles: [{ x: 0, y: 0, w: w0, h: h0, inW: MODEL_W, inH: MODEL_H }],
      minFace: MODEL_MIN_FACE * 0.9,
      maxFace: Infinity,
    },
  ];
  let scale = s0;
  while (scale < finest * 0.999) {
    scale = Math.min(finest, scale * LEVEL_STEP);
    const prev = levels[levels.length - 1]!;
    // This level owns the faces too small for the previous (coarser) level, with a 25 % margin.
    const maxFace = Math.ceil(prev.minFace * (scale / prev.scale) * 1.25);
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    const overlap = Math.min(maxFace + 8, TILE_H - 40);
    const across = span(w, TILE_W, overlap);
    const down = span(h, TILE_H, overlap);
    const tiles: Tile[] = [];
    for (const y of down.starts)
      for (const x of across.starts)
        tiles.push({
          x,
          y,
          w: across.size,
          h: down.size,
          inW: roundUp(across.size, STRIDE),
          inH: roundUp(down.size, STRIDE),
        });
    levels.push({ scale, width: w, height: h, tiles, minFace: MODEL_MIN_FACE * 0.9, maxFace });
  }
  // The finest level takes everything the detector reports down to (a little under) the wanted minimum.
  const last = levels[levels.length - 1]!;
  last.minFace = minFaceSize * last.scale * 0.8;
  return levels;
}
