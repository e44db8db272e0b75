/**
 * Box geometry and non-maximum suppression for face detections. The detector emits many overlapping
 * candidates per face (several anchors, and the same face again from neighbouring tiles and pyramid
 * levels); NMS keeps the best one per face.
 */

/** A box in pixels: top-left corner and size. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Scored extends Rect {
  score: number;
  /** Ranking used by NMS (defaults to score); lets the detector prefer well-sized detections. */
  rank?: number;
}

export function area(r: Rect): number {
  return Math.max(0, r.w) * Math.max(0, r.h);
}

export function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function iou(a: Rect, b: Rect): number {
  const i = intersection(a, b);
  return i > 0 ? i / (area(a) + area(b) - i) : 0;
}

/** Intersection over the smaller box: catches a small duplicate box sitting inside a bigger one. */
export function ios(a: Rect, b: Rect): number {
  const i = intersection(a, b);
  return i > 0 ? i / Math.min(area(a), area(b)) : 0;
}

export interface NmsOptions {
  /** Suppress when IoU exceeds this. */
  iou: number;
  /**
   * Also suppress when intersection-over-smaller exceeds this (1 disables), but only between boxes of
   * similar size (area ratio ≥ 1/4): a duplicate of the same face from another pyramid level is
   * similar in size, while a real small face can sit inside a big face's box (a child in front of a
   * parent, a face on a poster) and must survive.
   */
  ios?: number;
}

const IOS_MIN_AREA_RATIO = 0.25;

function similarSize(a: Rect, b: Rect): boolean {
  const p = area(a);
  const q = area(b);
  return Math.min(p, q) >= IOS_MIN_AREA_RATIO * Math.max(p, q);
}

/** Greedy NMS, best rank first; returns the kept boxes in that order. */
export function nms<T extends Scored>(boxes: readonly T[], opts: NmsOptions): T[] {
  const sorted = [...boxes].sort((p, q) => (q.rank ?? q.score) - (p.rank ?? p.score));
  const kept: T[] = [];
  const iosMax = opts.ios ?? 1;
  for (const b of sorted) {
    let keep = true;
    for (const k of kept) {
      if (iou(b, k) > opts.iou || (ios(b, k) > iosMax && similarSize(b, k))) {
        keep = false;
        break;
      }
    }
    if (keep) kept.push(b);
  }
  return kept;
}
