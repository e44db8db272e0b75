/**
 * [Note: thumbnail crop] Where a photo's square thumbnail is cut from it. A centre crop (or sharp's
 * "attention" crop, which picks busy texture) cut the heads off portrait photos: a standing person's
 * tile showed a suit. When the photo's faces are known, the square is centred on them (with hair and
 * chin); when they are not (not analysed yet, no face found), a portrait keeps its upper third, where
 * heads are, and a landscape its middle. The focus is in fractions of the oriented photo, so it applies
 * to any size the photo is decoded at.
 */
import type { Box } from '../../api/common';

/** Context kept around each face box: hair above, chin below, as a face crop does. */
const FACE_MARGIN = 0.2;
/** Without faces, a portrait's square is centred this far down the photo. */
const PORTRAIT_FOCUS_Y = 1 / 3;

/** A point of the photo, as fractions (0–1) of its oriented width and height. */
export interface Focus {
  x: number;
  y: number;
}

/** What the thumbnail should keep in view: the faces when known, else the photo's likely subject. */
export function thumbFocus(width: number | null, height: number | null, faces: readonly Box[]): Focus {
  if (!width || !height) return { x: 0.5, y: 0.5 };
  if (faces.length === 0) return { x: 0.5, y: height > width ? PORTRAIT_FOCUS_Y : 0.5 };
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
 * The largest square of a width×height image centred as near `focus` as the image allows (the square
 * never leaves the image), in whole pixels.
 */
export function squareAround(
  focus: Focus,
  width: number,
  height: number,
): { left: number; top: number; side: number } {
  const side = Math.max(1, Math.min(width, height));
  const place = (centre: number, extent: number) =>
    Math.min(extent - side, Math.max(0, Math.round(centre * extent - side / 2)));
  return { left: place(focus.x, width), top: place(focus.y, height), side };
}
