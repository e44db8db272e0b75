/**
 * The face embedder: a 112×112 face aligned to the ArcFace 5-point template → a 512-d L2-normalised
 * vector. Pre-processing follows the manifest entry (BGR, (x−127)/128 for the bundled model: BGR measured
 * better than RGB for it, see issue 2).
 */
import { loadModel, runModel } from './onnx-session';

export const EMBEDDING_SIZE = 512;
export const ALIGNED_SIZE = 112;

/** An aligned face as interleaved RGB bytes, ALIGNED_SIZE × ALIGNED_SIZE × 3. */
export type AlignedFace = Uint8Array;

export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

/** HWC RGB bytes → NCHW float in the channel order and normalisation the model expects. */
export function toModelInput(
  rgb: Uint8Array,
  size: number,
  pre: { channels: 'RGB' | 'BGR' | 'GREY'; mean: number; std: number },
): Float32Array {
  const plane = size * size;
  if (rgb.length !== plane * 3) throw new Error(`Expected ${plane * 3} bytes, got ${rgb.length}`);
  const order = pre.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    const src = order[c]!;
    for (let i = 0; i < plane; i++) out[c * plane + i] = (rgb[i * 3 + src]! - pre.mean) / pre.std;
  }
  return out;
}

/** Embeds one aligned face. */
export async function embedAligned(face: AlignedFace): Promise<Float32Array> {
  const model = await loadModel('embedder');
  const input = toModelInput(face, ALIGNED_SIZE, model.entry.preprocess);
  const { embedding } = await runModel(model, input);
  return l2normalize(embedding!);
}
