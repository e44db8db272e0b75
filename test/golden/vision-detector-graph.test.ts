/**
 * The dynamic-size detector graph ([Note: fully convolutional detector]): the install-time rewrite is
 * deterministic and pinned; at the shipped 320×240 size, the cut graph plus anchors.ts give the same
 * scores and boxes as the shipped graph on a real photo; at other sizes it finds the same faces.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { decodeAnchors } from '../../main/engine/vision/anchors';
import { detectInput } from '../../main/engine/vision/detector';
import { derive } from '../../main/engine/vision/install-models';
import { loadManifest, modelFor, modelsDir } from '../../main/engine/vision/model-manifest';
import { iou } from '../../main/engine/vision/nms';
import { loadModel, loadModelById, runModel, runModelTensors } from '../../main/engine/vision/onnx-session';
import { face } from '../support/paths';

const SHIPPED = 'ultraface-rfb320';

async function rgb(file: string, width: number, height: number): Promise<Uint8Array> {
  const buf = await sharp(file).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

test('the rewrite of the shipped detector is deterministic and matches its pinned sha256', () => {
  const entry = modelFor('detector');
  assert.ok(entry.derive, 'the preferred detector is the derived, dynamic-size graph');
  assert.deepEqual(entry.input.shape.slice(1, 3), ['height', 'width']);
  const source = loadManifest().find((m) => m.id === SHIPPED)!;
  assert.equal(entry.derive.sourceSha256, source.sha256);
  const made = derive(entry, readFileSync(path.join(modelsDir(), source.file)));
  assert.equal(createHash('sha256').update(made).digest('hex'), entry.sha256);
  assert.throws(() => derive(entry, Buffer.from('not the source')), /expected/);
});

test('at 320×240 the cut graph + anchors.ts reproduce the shipped graph on a real photo', async () => {
  const fcn = await loadModel('detector');
  const shipped = await loadModelById(SHIPPED);
  const bytes = await rgb(face('face_recognition', 'examples', 'two_people.jpg'), 320, 240);
  const floats = Float32Array.from(bytes, (v) => (v - 127) / 128); // HWC
  const nchw = new Float32Array(floats.length);
  for (let i = 0; i < 320 * 240; i++)
    for (let c = 0; c < 3; c++) nchw[c * 320 * 240 + i] = floats[i * 3 + c]!;
  const ref = await runModel(shipped, nchw);
  const refBoxes: { box: number[]; score: number }[] = [];
  for (let i = 0; i < ref.scores!.length / 2; i++) {
    const score = ref.scores![i * 2 + 1]!;
    if (score >= 0.05) refBoxes.push({ box: [...ref.boxes!.subarray(i * 4, i * 4 + 4)], score });
  }
  const out = await runModelTensors(fcn, bytes, [1, 240, 320, 3]);
  const mine = decodeAnchors(fcn.entry.anchors!, out, 320, 240, 0.05);
  assert.ok(refBoxes.length > 10, `${refBoxes.length} anchors above 0.05`);
  assert.equal(mine.length, refBoxes.length);
  for (const b of mine) {
    const corners = [b.x / 320, b.y / 240, (b.x + b.w) / 320, (b.y + b.h) / 240];
    const twin = refBoxes.find(
      (r) => Math.abs(r.score - b.score) < 1e-4 && r.box.every((v, i) => Math.abs(v - corners[i]!) < 1e-4),
    );
    assert.ok(twin, `no shipped-graph anchor matches ${JSON.stringify(b)}`);
  }
});

test('other input sizes: the same two faces, scaled with the input', async (t) => {
  const model = await loadModel('detector');
  const file = face('face_recognition', 'examples', 'two_people.jpg'); // 1126×661
  const small = await detectInput(model, await rgb(file, 320, 188), 320, 188, 0.7);
  assert.equal(small.length, 2);
  for (const [w, h] of [
    [640, 376],
    [1126, 661],
  ] as const) {
    const big = await detectInput(model, await rgb(file, w, h), w, h, 0.7);
    for (const b of small) {
      const scaled = { x: (b.x * w) / 320, y: (b.y * h) / 188, w: (b.w * w) / 320, h: (b.h * h) / 188 };
      const best = Math.max(...big.map((x) => iou(x, scaled)));
      assert.ok(best > 0.6, `${w}×${h}: best IoU ${best.toFixed(2)}`);
    }
    // Extra boxes at other scales are what the pyramid's size bands are for (see detector.ts).
    t.diagnostic(`${w}×${h}: ${big.length} boxes ≥ 0.7`);
  }
  await assert.rejects(runModelTensors(model, new Float32Array(3 * 64 * 64), [1, 64, 64, 3]), /uint8/);
});
