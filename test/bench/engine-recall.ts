/**
 * Recall and false positives of a detector against dlib's boxes, with one rule for every pipeline.
 * dlib's boxes are tight squares (brows to lip, cheek to cheek); RFB-320 and SSD MobileNet draw bigger,
 * taller boxes, so a perfect detection can miss IoU 0.5 on the convention alone. Each pipeline's
 * convention is therefore measured and undone before IoU: over detections whose centre lies inside a
 * true box (an unambiguous pairing), take the median of the true box's centre offset and size relative
 * to the detection (4 numbers), and map every detection of that pipeline through them. Recall is then
 * the share of true boxes matched one-to-one (greedy, best IoU first) at IoU ≥ 0.5. Next to it: the
 * same without the mapping (raw boxes), and a looser rule (detection centre inside the true box) that
 * separates "face missed" from "face found but boxed loosely".
 */
import { iou, type Rect } from '../../main/engine/vision/nms';
import type { BenchPhoto } from './engine-photos';

/** How a pipeline's boxes relate to dlib's: true = mapped(detection). */
export interface BoxConvention {
  /** True centre minus detection centre, in detection widths / heights. */
  dx: number;
  dy: number;
  /** True size over detection size. */
  sw: number;
  sh: number;
  /** Pairs the convention was measured on. */
  pairs: number;
}

export const IDENTITY: BoxConvention = { dx: 0, dy: 0, sw: 1, sh: 1, pairs: 0 };
export const IOU_MIN = 0.5;

const centre = (r: Rect) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });
const inside = (p: { x: number; y: number }, r: Rect) =>
  p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function mapBox(d: Rect, c: BoxConvention): Rect {
  const cx = d.x + d.w / 2 + c.dx * d.w;
  const cy = d.y + d.h / 2 + c.dy * d.h;
  const w = d.w * c.sw;
  const h = d.h * c.sh;
  return { x: cx - w / 2, y: cy - h / 2, w, h };
}

/** A photo's detections, as the pipeline reported them (full-resolution pixels). */
export interface Detected {
  photo: BenchPhoto;
  boxes: Rect[];
}

/** Measures a pipeline's box convention against the true boxes (see the header). */
export function fitConvention(results: Detected[]): BoxConvention {
  const dx: number[] = [];
  const dy: number[] = [];
  const sw: number[] = [];
  const sh: number[] = [];
  for (const { photo, boxes } of results) {
    for (const t of photo.truth ?? []) {
      const mine = boxes.filter((d) => inside(centre(d), t));
      if (mine.length !== 1) continue; // none, or ambiguous
      const d = mine[0]!;
      dx.push((centre(t).x - centre(d).x) / d.w);
      dy.push((centre(t).y - centre(d).y) / d.h);
      sw.push(t.w / d.w);
      sh.push(t.h / d.h);
    }
  }
  if (sw.length === 0) return IDENTITY;
  return { dx: median(dx), dy: median(dy), sw: median(sw), sh: median(sh), pairs: sw.length };
}

export interface RecallCount {
  truth: number;
  hits: number;
  /** Detections inside labelled regions that match no true box. */
  falsePositives: number;
}

/**
 * How a detection may pair with a true box: 'iou' = IoU ≥ IOU_MIN after mapping through the convention
 * (best IoU first); 'centre' = the detection's centre lies inside the true box (nearest centres first),
 * a looser rule that credits a face found but boxed loosely.
 */
export type MatchRule = { kind: 'iou'; convention: BoxConvention } | { kind: 'centre' };

/** Greedy one-to-one matching of detections to true boxes, over the labelled photos. */
export function countRecall(results: Detected[], rule: MatchRule): RecallCount {
  const out: RecallCount = { truth: 0, hits: 0, falsePositives: 0 };
  for (const { photo, boxes } of results) {
    if (!photo.truth) continue;
    const mine = boxes.filter((d) => photo.labelled.some((r) => inside(centre(d), r)));
    const pairs: { t: number; d: number; v: number }[] = [];
    photo.truth.forEach((t, ti) => {
      mine.forEach((d, di) => {
        if (rule.kind === 'iou') {
          const v = iou(t, mapBox(d, rule.convention));
          if (v >= IOU_MIN) pairs.push({ t: ti, d: di, v });
        } else if (inside(centre(d), t)) {
          pairs.push({
            t: ti,
            d: di,
            v: -Math.hypot(centre(d).x - centre(t).x, centre(d).y - centre(t).y) / t.w,
          });
        }
      });
    });
    pairs.sort((a, b) => b.v - a.v);
    const usedT = new Set<number>();
    const usedD = new Set<number>();
    for (const p of pairs) {
      if (usedT.has(p.t) || usedD.has(p.d)) continue;
      usedT.add(p.t);
      usedD.add(p.d);
    }
    out.truth += photo.truth.length;
    out.hits += usedT.size;
    out.falsePositives += mine.length - usedD.size;
  }
  return out;
}
