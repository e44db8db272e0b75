/**
 * Matches boxes from elsewhere (XMP regions, a labels file) to a photo's faces: greedily by overlap,
 * best pair first, each face used once, only pairs with IoU ≥ 0.5 (the usual "same object" bar; the
 * library uses it to keep face ids across re-detection).
 */
import { iou } from '../catalog/faces-repo';

type Box = { x: number; y: number; w: number; h: number };

export const MATCH_IOU = 0.5;

/** For each query box, the index of the matched target box, or -1. */
export function matchBoxes(queries: readonly Box[], targets: readonly Box[], minIou = MATCH_IOU): number[] {
  const pairs: { q: number; t: number; v: number }[] = [];
  queries.forEach((q, qi) => {
    targets.forEach((t, ti) => {
      const v = iou(q, t);
      if (v >= minIou) pairs.push({ q: qi, t: ti, v });
    });
  });
  pairs.sort((a, b) => b.v - a.v || a.q - b.q || a.t - b.t);
  const out = queries.map(() => -1);
  const used = new Set<number>();
  for (const p of pairs) {
    if (out[p.q] !== -1 || used.has(p.t)) continue;
    out[p.q] = p.t;
    used.add(p.t);
  }
  return out;
}
