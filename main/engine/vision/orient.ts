/**
 * Applies an orientation (EXIF/TIFF values 1–8) to a sharp pipeline explicitly, instead of sharp's
 * auto-orientation, which only knows the EXIF tag inside the file. Used when the orientation comes from
 * elsewhere (an XMP sidecar's tiff:Orientation, [Note: sidecar orientation]), so pixels, face boxes and
 * XMP regions all use one orientation. sharp mirrors (flop) before it rotates, whatever the call order,
 * so 5 is a mirror then 270° and 7 a mirror then 90° (checked against auto-orientation in
 * test/unit/orient.test.ts).
 */
import type { Sharp } from 'sharp';

export function orientExplicitly(img: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return img.flop();
    case 3:
      return img.rotate(180);
    case 4:
      return img.flip();
    case 5:
      return img.rotate(270).flop();
    case 6:
      return img.rotate(90);
    case 7:
      return img.rotate(90).flop();
    case 8:
      return img.rotate(270);
    default:
      return img;
  }
}

/** Orientations 5–8 swap width and height. */
export const swapsAxes = (orientation: number | null): boolean => (orientation ?? 1) >= 5;
