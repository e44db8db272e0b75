/**
 * Where a face sits in its `context` image (see imageKindSchema in app.ts). The engine crops the window
 * contextWindow() gives and the renderer draws the box with contextBox(), so both must read the same
 * numbers: this module is plain arithmetic with no imports, one of the parts of main/api the renderer runs
 * as code ([Note: rooms] in .ci/import-graph.mjs).
 *
 * [Note: context window] The window is a square CONTEXT_SCALE times the face box's larger side, centred on
 * the face where the photo allows; near an edge it is shifted to stay inside the photo (a face at the edge
 * is then off-centre) and it is never larger than the photo's shorter side. It used to stay centred and pad
 * the part past the edge grey: a face at a photo's edge showed beside a large grey block.
 */

/** The side of a `context` image, in multiples of the face box's larger side. */
export const CONTEXT_SCALE = 3;

interface FaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The square of the photo (oriented pixels, whole) that a face's `context` image shows. */
export function contextWindow(
  box: FaceBox,
  photo: { width: number; height: number },
): { left: number; top: number; side: number } {
  const width = Math.max(1, Math.round(photo.width));
  const height = Math.max(1, Math.round(photo.height));
  const side = Math.max(1, Math.round(Math.min(Math.max(box.w, box.h, 1) * CONTEXT_SCALE, width, height)));
  const place = (centre: number, extent: number) =>
    Math.min(extent - side, Math.max(0, Math.round(centre - side / 2)));
  return { left: place(box.x + box.w / 2, width), top: place(box.y + box.h / 2, height), side };
}

/**
 * Where a face's box lies in its `context` image, as fractions of the image's side, cut to the image.
 * Without the photo's size (not known yet) the window is taken as centred on the face.
 */
export function contextBox(
  box: FaceBox,
  photo: { width: number; height: number } | null,
): { x: number; y: number; w: number; h: number } {
  if (!photo) {
    const side = Math.max(box.w, box.h, 1) * CONTEXT_SCALE;
    const w = box.w / side;
    const h = box.h / side;
    return { x: 0.5 - w / 2, y: 0.5 - h / 2, w, h };
  }
  const { left, top, side } = contextWindow(box, photo);
  // The part of the box inside the crop: a face filling its photo has a box larger than the window (the
  // photo's shorter side), and the outline drew past the thumbnail's edges.
  const x0 = Math.max(0, (box.x - left) / side);
  const y0 = Math.max(0, (box.y - top) / side);
  const x1 = Math.min(1, (box.x + box.w - left) / side);
  const y1 = Math.min(1, (box.y + box.h - top) / side);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
