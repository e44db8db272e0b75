/**
 * Face quality: how useful a face is for recognition, so covers, training and suggestions can prefer
 * good faces. Three raw measures (stored as such in the catalog) and one 0..1 combination:
 * - size: face box height in full-resolution pixels;
 * - blur: variance of the Laplacian of the aligned grey face (low = blurry); aligned, so it does not
 *   depend on how big the face was in the photo;
 * - pose: 0 frontal .. 1 profile, from where the nose and mouth sit between the eyes (yaw; pitch is
 *   not estimated).
 */
import type { Point } from '../../api/common';
import { ALIGNED_SIZE } from './embedder';
import { luma } from './raster';

export interface FaceQuality {
  /** 0..1 combination of the three below (geometric mean of their 0..1 scores). */
  overall: number;
  /** Face box height, full-resolution pixels. */
  size: number;
  /** Variance of the Laplacian on the aligned 112×112 grey face. */
  blur: number;
  /** 0 frontal .. 1 profile. */
  pose: number;
}

/** Size score ramps from SIZE_MIN (0) to SIZE_GOOD (1) pixels of face height. */
const SIZE_MIN = 24;
const SIZE_GOOD = 96;
/**
 * Blur score ramps (log scale) between these Laplacian variances. Measured on 60 LFW faces: median 109
 * as shipped, 55 after a Gaussian blur of σ 1, 16 at σ 2, 7 at σ 3 (p10..p90 at σ 0: 54..250).
 */
const BLUR_LOW = 8;
const BLUR_GOOD = 150;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Variance of the 4-neighbour Laplacian (OpenCV's ksize=1) over the interior of an RGB face. */
export function laplacianVariance(rgb: Uint8Array, size = ALIGNED_SIZE): number {
  const grey = new Float32Array(size * size);
  for (let i = 0; i < grey.length; i++) grey[i] = luma(rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!);
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = 1; y < size - 1; y++) {
    for (let x = 1; x < size - 1; x++) {
      const i = y * size + x;
      const l = grey[i - 1]! + grey[i + 1]! + grey[i - size]! + grey[i + size]! - 4 * grey[i]!;
      sum += l;
      sum2 += l * l;
      n++;
    }
  }
  const m = sum / n;
  return sum2 / n - m * m;
}

/**
 * Yaw from 5 points (template order): the offset v of the nose tip and of the mouth centre from the eye
 * midpoint, along the eye axis, relative to half the eye distance. For a head turned by θ, v ≈ 0.8·tan θ
 * (nose tip about one half eye distance in front of the eyes, mouth half that), so θ = atan(v / 0.8),
 * reported as θ / 90°: 0 frontal, 0.5 at 45°, → 1 towards profile.
 */
export function poseFromLandmarks(l: readonly Point[]): number {
  const [re, le, nose, rm, lm] = l as [Point, Point, Point, Point, Point];
  const ex = le[0] - re[0];
  const ey = le[1] - re[1];
  const half = Math.hypot(ex, ey) / 2;
  if (half === 0) return 1;
  const ux = ex / (2 * half);
  const uy = ey / (2 * half);
  const mx = (re[0] + le[0]) / 2;
  const my = (re[1] + le[1]) / 2;
  const along = (p: Point) => ((p[0] - mx) * ux + (p[1] - my) * uy) / half;
  const mouth: Point = [(rm[0] + lm[0]) / 2, (rm[1] + lm[1]) / 2];
  const v = Math.abs(0.6 * along(nose) + 0.4 * along(mouth));
  return clamp01(Math.atan(v / 0.8) / (Math.PI / 2));
}

export function faceQuality(
  sizePx: number,
  alignedRgb: Uint8Array,
  landmarks: readonly Point[],
): FaceQuality {
  const blur = laplacianVariance(alignedRgb);
  const pose = poseFromLandmarks(landmarks);
  const sizeScore = clamp01((sizePx - SIZE_MIN) / (SIZE_GOOD - SIZE_MIN));
  const blurScore = clamp01(Math.log(Math.max(blur, 1) / BLUR_LOW) / Math.log(BLUR_GOOD / BLUR_LOW));
  const overall = Math.cbrt(sizeScore * blurScore * (1 - pose));
  return { overall, size: sizePx, blur, pose };
}
