/**
 * Ground truth for the vision golden tests, read from ../shared/data/faces at run time: dlib's face
 * boxes and 68-point landmarks (imglab XML), and the 12-MP composite photo built from them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Point } from '../../main/api/common';
import type { Rect } from '../../main/engine/vision/nms';
import { face } from '../support/paths';

export interface TruthFace {
  box: Rect;
  /** dlib's 68 iBUG points when the XML has them. */
  parts: Point[];
}

/** Images → faces from dlib's training and testing XML (the *_with_face_landmarks variants). */
export function dlibTruth(): Map<string, TruthFace[]> {
  const out = new Map<string, TruthFace[]>();
  for (const xml of ['training_with_face_landmarks.xml', 'testing_with_face_landmarks.xml']) {
    const text = readFileSync(face('dlib_faces', xml), 'latin1');
    for (const img of text.matchAll(/<image file='([^']+)'[^>]*>([\s\S]*?)<\/image>/g)) {
      const faces: TruthFace[] = [];
      for (const b of img[2]!.matchAll(
        /<box top='(-?\d+)' left='(-?\d+)' width='(\d+)' height='(\d+)'[^>]*>([\s\S]*?)<\/box>/g,
      )) {
        const parts = [...b[5]!.matchAll(/x='(-?\d+)' y='(-?\d+)'/g)].map((p): Point => [
          Number(p[1]),
          Number(p[2]),
        ]);
        faces.push({ box: { x: Number(b[2]), y: Number(b[1]), w: Number(b[3]), h: Number(b[4]) }, parts });
      }
      out.set(img[1]!, faces);
    }
  }
  return out;
}

/** dlib's 68 points → the 5 template points, by the same rule as landmarks.ts fivePoints. */
export function truthFivePoints(parts: Point[]): Point[] {
  const mean = (idx: number[]): Point => [
    idx.reduce((s, i) => s + parts[i]![0], 0) / idx.length,
    idx.reduce((s, i) => s + parts[i]![1], 0) / idx.length,
  ];
  // dlib's integer parts are pixel indices; +0.5 puts them in continuous coordinates like ours.
  return [mean([37, 38, 40, 41]), mean([43, 44, 46, 47]), mean([30]), mean([48, 60]), mean([54, 64])].map(
    ([x, y]): Point => [x + 0.5, y + 0.5],
  );
}

/**
 * A 4000×3000 (12 MP) JPEG: bald_guys.jpg (itself a collage of big faces) stretched as background, with
 * the 9 dlib PASCAL group photos pasted on it at their native size, so their 43 true faces (37–109 px)
 * are small faces of a 12-MP photo. Returns the file and the true boxes in its pixels.
 */
export async function build12MpComposite(dir: string): Promise<{ file: string; boxes: Rect[] }> {
  const truth = dlibTruth();
  const names = [...truth.keys()].filter((n) => truth.get(n)!.length > 0).sort();
  const overlays: { input: string; left: number; top: number }[] = [];
  const boxes: Rect[] = [];
  names.forEach((n, i) => {
    const left = 100 + (i % 5) * 780;
    const top = 150 + Math.floor(i / 5) * 1500;
    overlays.push({ input: face('dlib_faces', n), left, top });
    for (const f of truth.get(n)!) boxes.push({ ...f.box, x: f.box.x + left, y: f.box.y + top });
  });
  const file = path.join(dir, 'group-12mp.jpg');
  const bg = await sharp(face('dlib_faces', 'bald_guys.jpg')).resize(4000, 3000, { fit: 'cover' }).toBuffer();
  await sharp(bg).composite(overlays).jpeg({ quality: 90 }).toFile(file);
  return { file, boxes };
}

/** Greedy one-to-one matching of truth boxes to detections by IoU; returns the best IoU per truth box. */
export function matchIoU(truth: Rect[], found: Rect[], iou: (a: Rect, b: Rect) => number): number[] {
  const used = new Set<number>();
  return truth.map((t) => {
    let best = -1;
    let bestIoU = 0;
    found.forEach((f, i) => {
      const v = iou(t, f);
      if (!used.has(i) && v > bestIoU) {
        best = i;
        bestIoU = v;
      }
    });
    if (best >= 0 && bestIoU >= 0.3) used.add(best);
    return bestIoU;
  });
}
