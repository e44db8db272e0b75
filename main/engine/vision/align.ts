/**
 * [Note: face alignment] A face is aligned by the similarity transform (rotation, uniform scale,
 * translation; no shear, no reflection) that best maps its 5 landmarks onto the standard ArcFace
 * 112×112 template in the least-squares sense (Umeyama 1991, which in 2-D has the closed form below),
 * then the image is resampled through the inverse map. A full affine or a 3-point fit distorts faces:
 * issue 2 measured the package's 3-point affine far worse (AUC 0.943 vs 0.9997).
 */
import type { Point } from '../../api/common';
import { ALIGNED_SIZE } from './embedder';
import { warpAffine, type Affine, type RgbRaster } from './raster';

/** InsightFace's ArcFace template for 112×112 (pixel-centre coordinates, as cv2.warpAffine uses). */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** p ↦ [a −b; b a]·p + (tx, ty): scale = hypot(a, b), angle = atan2(b, a). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Least-squares similarity taking src points onto dst points (Umeyama, 2-D closed form). */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n < 2 || dst.length !== n) throw new Error(`Need ≥ 2 matching point pairs, got ${n} and ${dst.length}`);
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0];
    sy += src[i]![1];
    dx += dst[i]![0];
    dy += dst[i]![1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i]![0] - sx;
    const y = src[i]![1] - sy;
    const u = dst[i]![0] - dx;
    const v = dst[i]![1] - dy;
    dot += x * u + y * v;
    cross += x * v - y * u;
    norm += x * x + y * y;
  }
  if (norm === 0) throw new Error('Degenerate landmarks: all points coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return [t.a * p[0] - t.b * p[1] + t.tx, t.b * p[0] + t.a * p[1] + t.ty];
}

/** The inverse as an Affine (output pixel → source point), for warpAffine. */
export function inverseAffine(t: Similarity): Affine {
  const d = t.a * t.a + t.b * t.b;
  const ia = t.a / d;
  const ib = -t.b / d;
  // inverse: [ia −ib; ib ia]·(q − t)
  return [ia, -ib, -(ia * t.tx - ib * t.ty), ib, ia, -(ib * t.tx + ia * t.ty)];
}

export interface AlignedResult {
  /** ALIGNED_SIZE² × 3 RGB bytes. */
  face: Uint8Array;
  /** The transform from raster (pixel-centre) coordinates to aligned-face pixels. */
  transform: Similarity;
}

/**
 * Aligns the face with these 5 landmarks (continuous raster coordinates, template order) to the
 * 112×112 ArcFace template.
 */
export function alignFace(image: RgbRaster, landmarks: readonly Point[]): AlignedResult {
  const centred = landmarks.map(([x, y]): Point => [x - 0.5, y - 0.5]);
  const transform = estimateSimilarity(centred, ARCFACE_TEMPLATE);
  const face = warpAffine(image, ALIGNED_SIZE, ALIGNED_SIZE, inverseAffine(transform), 'rgb');
  return { face, transform };
}
