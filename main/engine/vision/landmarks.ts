/**
 * Facial landmarks with the PFLD-68 model: a grey 64×64 crop → 68 iBUG points, reduced to the 5 points
 * the ArcFace template uses. The crop recipe (a square of the box's height around the box centre,
 * grey / 256) is the one measured in issue 2; the 68 → 5 reduction follows the iBUG numbering.
 * Coordinates are continuous raster coordinates (pixel i spans [i, i + 1)).
 */
import type { Point } from '../../api/common';
import { loadModel, runModel } from './onnx-session';
import { cropAffine, warpAffine, type RgbRaster } from './raster';

export const LANDMARK_INPUT = 64;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The landmark crop for a box: a square of the box's height, centred on the box. */
export function landmarkCrop(box: Box): { x: number; y: number; side: number } {
  const side = Math.max(1, box.h);
  return { x: box.x + box.w / 2 - side / 2, y: box.y + box.h / 2 - side / 2, side };
}

/** The 68 iBUG points of the face in `box`, in raster coordinates. */
export async function landmarks68(image: RgbRaster, box: Box): Promise<Point[]> {
  const model = await loadModel('landmarks');
  const crop = landmarkCrop(box);
  const s = crop.side / LANDMARK_INPUT;
  const grey = warpAffine(image, LANDMARK_INPUT, LANDMARK_INPUT, cropAffine(crop.x, crop.y, s), 'grey');
  const { mean, std } = model.entry.preprocess;
  const input = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) input[i] = (grey[i]! - mean) / std;
  const { points } = await runModel(model, input);
  const out: Point[] = [];
  for (let i = 0; i < 68; i++) {
    out.push([crop.x + points![i * 2]! * crop.side, crop.y + points![i * 2 + 1]! * crop.side]);
  }
  return out;
}

function mean(pts: readonly Point[], idx: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += pts[i]![0];
    y += pts[i]![1];
  }
  return [x / idx.length, y / idx.length];
}

/**
 * 68 → 5 points in template order: the subject's right eye (image left), left eye, nose tip, mouth
 * corners (image left, image right). Eye centres average the four eyelid points (0-based 37, 38, 40, 41
 * and 43, 44, 46, 47); mouth corners average the outer and inner lip corners.
 */
export function fivePoints(pts68: readonly Point[]): Point[] {
  if (pts68.length !== 68) throw new Error(`Expected 68 landmarks, got ${pts68.length}`);
  return [
    mean(pts68, [37, 38, 40, 41]),
    mean(pts68, [43, 44, 46, 47]),
    pts68[30]!,
    mean(pts68, [48, 60]),
    mean(pts68, [54, 64]),
  ];
}

/** The 5 alignment points of the face in `box`. */
export async function faceLandmarks(image: RgbRaster, box: Box): Promise<Point[]> {
  return fivePoints(await landmarks68(image, box));
}
