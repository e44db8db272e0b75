/**
 * Where a face sits in its `context` image (see imageKindSchema in app.ts). The engine crops with
 * CONTEXT_SCALE and the renderer draws the box with contextBox(), so both must read the same numbers: this
 * module is plain arithmetic with no imports, the one part of main/api the renderer runs as code
 * ([Note: rooms] in .ci/import-graph.mjs).
 */

/** The side of a `context` image, in multiples of the face box's larger side. */
export const CONTEXT_SCALE = 3;

/** Where a face's box lies in its `context` image, as fractions (0…1) of the image's side. */
export function contextBox(box: { w: number; h: number }): { x: number; y: number; w: number; h: number } {
  const side = Math.max(box.w, box.h, 1) * CONTEXT_SCALE;
  const w = box.w / side;
  const h = box.h / side;
  return { x: 0.5 - w / 2, y: 0.5 - h / 2, w, h };
}
