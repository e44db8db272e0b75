/**
 * The one pixel type the face pipeline passes around (interleaved 8-bit RGB, already EXIF-oriented) and
 * the one resampler every stage uses: an affine warp with bilinear taps, supersampled when it shrinks so
 * that a big face cropped to 64×64 or 112×112 does not alias. Landmark crops, alignment and detector
 * tiles all go through it, so they see pixels the same way.
 */

export interface RgbRaster {
  /** width × height × 3 bytes, row-major, RGB. */
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Maps an output pixel (x, y) to a source point: sx = a·x + b·y + c, sy = d·x + e·y + f.
 * Pixel centres sit at integer coordinates (the OpenCV convention, which the ArcFace template assumes).
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export type Channels = 'rgb' | 'grey';

/** BT.601 luma, as PIL's "L" and OpenCV's RGB2GRAY compute it (what the landmark model was fed). */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * Warps `src` into a dstW × dstH image (3 bytes per pixel for 'rgb', 1 for 'grey'). Outside the source
 * reads as black, like cv2.warpAffine's default border. When one output pixel covers several source
 * pixels, n×n bilinear taps are averaged (n = the scale, rounded, at most 4).
 */
export function warpAffine(
  src: RgbRaster,
  dstW: number,
  dstH: number,
  m: Affine,
  channels: Channels,
): Uint8Array {
  const [a, b, c, d, e, f] = m;
  const { data, width: w, height: h } = src;
  const scale = Math.sqrt(Math.abs(a * e - b * d));
  const n = Math.min(4, Math.max(1, Math.round(scale)));
  const inv = 1 / (n * n);
  const out = new Uint8Array(dstW * dstH * (channels === 'rgb' ? 3 : 1));
  const edge = new Float64Array(3);
  let o = 0;
  for (let y = 0; y < dstH; y++) {
    for (let x = 0; x < dstW; x++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const u = x + (i + 0.5) / n - 0.5;
          const v = y + (j + 0.5) / n - 0.5;
          const sx = a * u + b * v + c;
          const sy = d * u + e * v + f;
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
            edge[0] = edge[1] = edge[2] = 0;
            addBorderSample(src, sx, sy, edge);
            r += edge[0];
            g += edge[1];
            bl += edge[2];
            continue;
          }
          // Interior (almost every tap): the four texels, inline, without bounds checks.
          const fx = sx - x0;
          const fy = sy - y0;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          const k = (y0 * w + x0) * 3;
          const k2 = k + w * 3;
          r += data[k]! * w00 + data[k + 3]! * w10 + data[k2]! * w01 + data[k2 + 3]! * w11;
          g += data[k + 1]! * w00 + data[k + 4]! * w10 + data[k2 + 1]! * w01 + data[k2 + 4]! * w11;
          bl += data[k + 2]! * w00 + data[k + 5]! * w10 + data[k2 + 2]! * w01 + data[k2 + 5]! * w11;
        }
      }
      if (channels === 'rgb') {
        out[o++] = r * inv + 0.5;
        out[o++] = g * inv + 0.5;
        out[o++] = bl * inv + 0.5;
      } else {
        out[o++] = luma(r, g, bl) * inv + 0.5;
      }
    }
  }
  return out;
}

/** Bilinear sample at (sx, sy) near or past the border, into acc; texels outside count as black. */
function addBorderSample(src: RgbRaster, sx: number, sy: number, acc: Float64Array): void {
  const { data, width: w, height: h } = src;
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return;
  const fx = sx - x0;
  const fy = sy - y0;
  for (let j = 0; j < 2; j++) {
    const yy = y0 + j;
    if (yy < 0 || yy >= h) continue;
    const wy = j === 0 ? 1 - fy : fy;
    for (let i = 0; i < 2; i++) {
      const xx = x0 + i;
      if (xx < 0 || xx >= w) continue;
      const wgt = wy * (i === 0 ? 1 - fx : fx);
      const k = (yy * w + xx) * 3;
      acc[0] = acc[0]! + data[k]! * wgt;
      acc[1] = acc[1]! + data[k + 1]! * wgt;
      acc[2] = acc[2]! + data[k + 2]! * wgt;
    }
  }
}

/** Affine for an axis-aligned crop: output pixel (x, y) reads source (x0 + x·s, y0 + y·s). */
export function cropAffine(x0: number, y0: number, s: number): Affine {
  // Pixel centres: output centre x maps to source centre x0 + (x + 0.5)·s − 0.5.
  return [s, 0, x0 + 0.5 * s - 0.5, 0, s, y0 + 0.5 * s - 0.5];
}
