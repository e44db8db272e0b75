/**
 * Golden landmarks and alignment on dlib's 43 annotated faces ([Note: face alignment]): our 5 points
 * against the 5 points derived from dlib's 68 true landmarks, and where the true points land after
 * our alignment (they should sit on the ArcFace template, as our own points do).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Point } from '../../main/api/common';
import { decodePhoto } from '../../main/engine/vision/decode';
import { alignFace, applySimilarity, ARCFACE_TEMPLATE } from '../../main/engine/vision/align';
import { detectFaces } from '../../main/engine/vision/detector';
import { faceLandmarks } from '../../main/engine/vision/landmarks';
import { iou } from '../../main/engine/vision/nms';
import { face } from '../support/paths';
import { dlibTruth, truthFivePoints } from './vision-fixtures';

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

test('5 landmarks match dlib truth and align onto the ArcFace template', async (t) => {
  const nme: number[] = [];
  const ours: number[] = [];
  const truthOnTemplate: number[] = [];
  for (const [name, faces] of dlibTruth()) {
    if (faces.length === 0) continue;
    const photo = await decodePhoto(face('dlib_faces', name));
    assert.equal(photo.scale, 1, 'dlib photos are small: no downscaling');
    const dets = await detectFaces(photo.image, { minFaceSize: 20, minScore: 0.7 });
    for (const truth of faces) {
      assert.equal(truth.parts.length, 68);
      const det = dets.find((d) => iou(d, truth.box) >= 0.5);
      assert.ok(det, `no detection for a true face in ${name}`);
      const pts = await faceLandmarks(photo.image, det);
      const gt = truthFivePoints(truth.parts);
      const interocular = dist(gt[0]!, gt[1]!);
      nme.push(mean(pts.map((p, i) => dist(p, gt[i]!))) / interocular);
      const { transform } = alignFace(photo.image, pts);
      const onTemplate = (p: Point) => applySimilarity(transform, [p[0] - 0.5, p[1] - 0.5]);
      ours.push(...pts.map((p, i) => dist(onTemplate(p), ARCFACE_TEMPLATE[i]!)));
      truthOnTemplate.push(...gt.map((p, i) => dist(onTemplate(p), ARCFACE_TEMPLATE[i]!)));
    }
  }
  const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(0.95 * (v.length - 1))]!;
  t.diagnostic(
    `${nme.length} faces: NME (mean point error / interocular) mean ${mean(nme).toFixed(3)} max ${Math.max(...nme).toFixed(3)}; ` +
      `in 112×112 template px: our points mean ${mean(ours).toFixed(2)} p95 ${p95(ours).toFixed(2)}, ` +
      `dlib's true points mean ${mean(truthOnTemplate).toFixed(2)} p95 ${p95(truthOnTemplate).toFixed(2)}`,
  );
  assert.equal(nme.length, 43);
  // Measured: NME mean 0.048 (max 0.118); our points 3.35 px (p95 7.0) from the template, dlib's true
  // points 3.69 px (p95 7.5). The residual is faces differing from the mean-face template (shape, pose),
  // not error: a least-squares similarity cannot remove it. Floors leave ~30 % margin.
  assert.ok(mean(nme) < 0.065, `landmark NME ${mean(nme)}`);
  assert.ok(mean(ours) < 4.5, `our points are ${mean(ours)} px from the template on average`);
  assert.ok(mean(truthOnTemplate) < 5, `true points land ${mean(truthOnTemplate)} px from the template`);
});
