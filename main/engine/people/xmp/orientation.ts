/**
 * EXIF orientation and normalised boxes. [Note: XMP regions are on the stored image] Per the MWG
 * guidelines (2.0, §5.9) "region metadata is applied to the stored image": an XMP face region is relative
 * to the pixels as stored, before the EXIF orientation is applied, and AppliedToDimensions are the stored
 * dimensions. Visage's boxes are in oriented pixels (as displayed), so reading maps stored → oriented and
 * writing maps back.
 */

/** A box in normalised [0,1] coordinates, top-left corner and size. */
export interface NormBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

type Point = [number, number];

/** Maps a normalised point of the stored image to the displayed (oriented) image. */
function toOriented(o: number, [u, v]: Point): Point {
  switch (o) {
    case 2:
      return [1 - u, v];
    case 3:
      return [1 - u, 1 - v];
    case 4:
      return [u, 1 - v];
    case 5:
      return [v, u];
    case 6:
      return [1 - v, u];
    case 7:
      return [1 - v, 1 - u];
    case 8:
      return [v, 1 - u];
    default:
      return [u, v];
  }
}

/** The inverse of toOriented. */
function toStored(o: number, [x, y]: Point): Point {
  switch (o) {
    case 6:
      return [y, 1 - x];
    case 8:
      return [1 - y, x];
    default:
      return toOriented(o, [x, y]); // 1-5 and 7 are their own inverses
  }
}

function mapBox(box: NormBox, f: (p: Point) => Point): NormBox {
  const [ax, ay] = f([box.x, box.y]);
  const [bx, by] = f([box.x + box.w, box.y + box.h]);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), w: Math.abs(bx - ax), h: Math.abs(by - ay) };
}

export const storedToOriented = (box: NormBox, orientation: number | null): NormBox =>
  mapBox(box, (p) => toOriented(orientation ?? 1, p));

export const orientedToStored = (box: NormBox, orientation: number | null): NormBox =>
  mapBox(box, (p) => toStored(orientation ?? 1, p));

export { swapsAxes } from '../../vision/orient';

/** Overhang tolerated before a region counts as outside the image (writers round, detectors overhang). */
const SLACK = 0.02;

/**
 * Checks a normalised box read from XMP: null and a reason when it is not a usable area of the image (a
 * size of 0, a size beyond the image, or wholly outside it: e.g. pixel values with no unit, which would
 * otherwise become a face many times the photo's size); otherwise the box clipped to the image.
 */
export function checkedBox(box: NormBox): { box: NormBox } | { reason: string } {
  const { x, y, w, h } = box;
  const show = (v: number): string => String(Math.round(v * 1e4) / 1e4);
  const desc = `x=${show(x)} y=${show(y)} w=${show(w)} h=${show(h)}`;
  if (![x, y, w, h].every(Number.isFinite) || !(w > 0 && h > 0)) return { reason: `empty area (${desc})` };
  if (w > 1 + SLACK || h > 1 + SLACK || x + w <= 0 || y + h <= 0 || x >= 1 || y >= 1)
    return { reason: `area not within the image, or not in normalised units (${desc})` };
  return { box: clipBox(box) };
}

/** The part of a normalised box inside the image. */
export function clipBox(box: NormBox): NormBox {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(1, box.x + box.w);
  const y1 = Math.min(1, box.y + box.h);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
