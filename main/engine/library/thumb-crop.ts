/**
 * [Note: thumbnail crop] Where a photo's square thumbnail is cut from it. A centre crop (or sharp's
 * "attention" crop, which picks busy texture) cut the heads off portrait photos: a standing person's
 * tile showed a suit. When the photo's faces are known, the square is centred on them (with hair and
 * chin); when they are not (not analysed yet, no face found), a portrait keeps its top, where heads are,
 * and a landscape its middle. The focus is in fractions of the oriented photo, so it applies to any size
 * the photo is decoded at. The grid asks for a photo's thumbnail again once it is analysed
 * (renderer/src/lib/api/images.ts), so the crop made before its faces were known does not stay.
 */
import type { Box } from '../../api/common';

/** Context kept around each face box: hair above, chin below, as a face crop does. */
const FACE_MARGIN = 0.2;
/**
 * Without faces, a portrait's square starts this share of the way down the part that does not fit: near
 * the top, where a standing person's head is (a third of the way down a 1:2.3 full-length portrait is
 * the chest).
 */
const PORTRAIT_TOP_SHARE = 0.1;

/** A point of the photo, as fractions (0–1) of its oriented width and height. */
export interface Focus {
  x: number;
  y: number;
}

/**
 * The centre of the photo's faces (with hair and chin), or null when none is known (not analysed yet,
 * no face found, or the photo's size is unknown).
 */
export function thumbFocus(width: number | null, height: number | null, faces: readonly Box[]): Focus | null {
  if (!width || !height || faces.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const b of faces) {
    const m = Math.max(b.w, b.h) * FACE_MARGIN;
    left = Math.min(left, b.x - m);
    top = Math.min(top, b.y - m);
    right = Math.max(right, b.x + b.w + m);
    bottom = Math.max(bottom, b.y + b.h + m);
  }
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return { x: clamp((left + right) / 2 / width), y: clamp((top + bottom) / 2 / height) };
}

/**
 * The largest square of a width×height image, centred as near `focus` as the image allows (the square
 * never leaves the image), in whole pixels. Without a focus: a portrait's top, a landscape's middle.
 */
export function squareAround(
  focus: Focus | null,
  width: number,
  height: number,
): { left: number; top: number; side: number } {
  const side = Math.max(1, Math.min(width, height));
  if (!focus) {
    const top = height > width ? Math.round((height - side) * PORTRAIT_TOP_SHARE) : 0;
    return { left: Math.round((width - side) / 2), top, side };
  }
  const place = (centre: number, extent: number) =>
    Math.min(extent - side, Math.max(0, Math.round(centre * extent - side / 2)));
  return { left: place(focus.x, width), top: place(focus.y, height), side };
}
