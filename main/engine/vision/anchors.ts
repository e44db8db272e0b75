/**
 * Anchor (prior) decoding for the cut RFB-320 graph ([Note: fully convolutional detector]), for any
 * input size. Each head h has a feature map of fh × fw cells and A anchor sizes; cell (i, j) with anchor
 * a has its prior centred at ((j + ½)·W/fw, (i + ½)·H/fh) with side `size`, clamped to the input as
 * the model's training code does (so at 320×240 this reproduces the shipped graph's boxes exactly; a
 * test holds that). Scores are the 2-class softmax; boxes are centre/size offsets scaled by the variances.
 */
import type { ModelEntry } from './model-manifest';
import type { Scored } from './nms';
import type { OutputTensor } from './onnx-session';

export type AnchorSpec = NonNullable<ModelEntry['anchors']>;

/**
 * Every anchor scoring at least minScore, as boxes in input pixels (x, y, w, h; not clipped to the
 * input), for an input of width × height.
 */
export function decodeAnchors(
  spec: AnchorSpec,
  outputs: Record<string, OutputTensor>,
  width: number,
  height: number,
  minScore: number,
): Scored[] {
  // softmax(l0, l1)[1] ≥ minScore  ⇔  l1 − l0 ≥ logit(minScore): most anchors are rejected without exp().
  const p = Math.min(Math.max(minScore, 1e-6), 1 - 1e-6);
  const minLogit = Math.log(p / (1 - p));
  const cv = spec.centerVariance;
  const sv = spec.sizeVariance;
  const found: Scored[] = [];
  for (const head of spec.heads) {
    const cls = outputs[head.scores];
    const reg = outputs[head.boxes];
    if (!cls || !reg) throw new Error(`detector output ${head.scores} or ${head.boxes} is missing`);
    const [, , fh = 0, fw = 0] = cls.dims;
    const anchors = head.sizes.length;
    if (
      cls.dims[1] !== 2 * anchors ||
      reg.dims[1] !== 4 * anchors ||
      reg.dims[2] !== fh ||
      reg.dims[3] !== fw
    )
      throw new Error(`detector head ${head.scores}: dims [${cls.dims.join(',')}] / [${reg.dims.join(',')}]`);
    const plane = fh * fw;
    const stepX = width / fw;
    const stepY = height / fh;
    for (let a = 0; a < anchors; a++) {
      const pw = Math.min(head.sizes[a]!, width);
      const ph = Math.min(head.sizes[a]!, height);
      const c0 = cls.data.subarray(2 * a * plane, (2 * a + 1) * plane);
      const c1 = cls.data.subarray((2 * a + 1) * plane, (2 * a + 2) * plane);
      const r = 4 * a * plane;
      for (let k = 0; k < plane; k++) {
        const d = c1[k]! - c0[k]!;
        if (d < minLogit) continue;
        const i = Math.floor(k / fw);
        const j = k - i * fw;
        const pcx = Math.min((j + 0.5) * stepX, width);
        const pcy = Math.min((i + 0.5) * stepY, height);
        const cx = pcx + reg.data[r + k]! * cv * pw;
        const cy = pcy + reg.data[r + plane + k]! * cv * ph;
        const w = pw * Math.exp(reg.data[r + 2 * plane + k]! * sv);
        const h = ph * Math.exp(reg.data[r + 3 * plane + k]! * sv);
        found.push({ x: cx - w / 2, y: cy - h / 2, w, h, score: 1 / (1 + Math.exp(-d)) });
      }
    }
  }
  return found;
}
