/**
 * Verification on LFW (lfw_dev/pairs_dev.txt: the official View 2 pairs whose names are both in the
 * A–G part; 1017 matched, 366 mismatched) through the whole pipeline, analysePhoto on the 250×250
 * photo. The pair's face is the one nearest the image centre (LFW photos are centred on it; other
 * faces can appear at the borders). Embeddings are cached per image.
 * Reports 10-fold accuracy (threshold chosen on the 9 training folds), TAR at FAR 1 %, ms per stage and
 * images/s; holds floors below what was measured.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analysePhoto, type StageTimings } from '../../main/engine/vision/face-pipeline';
import { face } from '../support/paths';

interface Pair {
  a: string;
  b: string;
  same: boolean;
}

function readPairs(): Pair[] {
  const img = (name: string, n: string) => face('lfw_dev', name, `${name}_${n.padStart(4, '0')}.jpg`);
  return readFileSync(face('lfw_dev', 'pairs_dev.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.trim().split('\t'))
    .map((p) =>
      p.length === 3
        ? { a: img(p[0]!, p[1]!), b: img(p[0]!, p[2]!), same: true }
        : { a: img(p[0]!, p[1]!), b: img(p[2]!, p[3]!), same: false },
    );
}

/** Accuracy of the best threshold on `train`, applied to `test`. */
function foldAccuracy(train: { s: number; same: boolean }[], test: { s: number; same: boolean }[]): number {
  const acc = (set: typeof train, t: number) => set.filter((x) => x.s >= t === x.same).length / set.length;
  let best = -1;
  let bestT = 0;
  for (const { s } of train) {
    const a = acc(train, s);
    if (a > best) {
      best = a;
      bestT = s;
    }
  }
  return acc(test, bestT);
}

test('LFW pairs_dev verification: 10-fold accuracy and TAR@FAR', async (t) => {
  const pairs = readPairs();
  assert.equal(pairs.length, 1383);
  const cache = new Map<string, Float32Array | null>();
  const sum: StageTimings = { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, total: 0 };
  let faces = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const file of new Set(pairs.flatMap((p) => [p.a, p.b]))) {
    const r = await analysePhoto(file);
    for (const k of Object.keys(sum) as (keyof StageTimings)[]) sum[k] += r.timings[k];
    faces += r.faces.length;
    const centre = (f: (typeof r.faces)[number]) =>
      Math.hypot(f.box.x + f.box.w / 2 - r.width / 2, f.box.y + f.box.h / 2 - r.height / 2);
    cache.set(file, [...r.faces].sort((p, q) => centre(p) - centre(q))[0]?.embedding ?? null);
  }
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const n = cache.size;
  const missing = [...cache.values()].filter((e) => !e).length;
  const scored = pairs.map((p) => {
    const a = cache.get(p.a);
    const b = cache.get(p.b);
    let s = -1; // no face: counts as "different"
    if (a && b) s = a.reduce((acc, v, i) => acc + v * b[i]!, 0);
    return { s, same: p.same };
  });
  let accuracy = 0;
  for (let k = 0; k < 10; k++) {
    accuracy += foldAccuracy(
      scored.filter((_, i) => i % 10 !== k),
      scored.filter((_, i) => i % 10 === k),
    );
  }
  accuracy /= 10;
  const negatives = scored
    .filter((x) => !x.same)
    .map((x) => x.s)
    .sort((p, q) => q - p);
  const positives = scored.filter((x) => x.same).map((x) => x.s);
  const tarAt = (far: number) => {
    const threshold = negatives[Math.floor(far * negatives.length)]!;
    return positives.filter((s) => s > threshold).length / positives.length;
  };
  const per = (k: keyof StageTimings) => (sum[k] / n).toFixed(1);
  t.diagnostic(
    `LFW pairs_dev: ${n} images (${faces} faces, ${missing} without a face), 10-fold accuracy ${(accuracy * 100).toFixed(2)} %, ` +
      `TAR@FAR=1% ${(tarAt(0.01) * 100).toFixed(2)} %, TAR@FAR=0 ${(tarAt(0) * 100).toFixed(2)} %`,
  );
  t.diagnostic(
    `ms per image: decode ${per('decode')}, detect ${per('detect')}, landmarks ${per('landmarks')}, align ${per('align')}, ` +
      `embed ${per('embed')}, total ${per('total')}; ${(n / (wall / 1000)).toFixed(1)} images/s on this thread; ` +
      `CPU ${(cpuMs / n).toFixed(1)} ms per image (wall times grow when other processes share the cores)`,
  );
  assert.equal(missing, 0, 'every LFW image has a face');
  // Measured 99.28 % and TAR@FAR=1% 99.31 % (TAR@FAR=0 98.92 %); the misses include LFW's own label errors
  // (Cristina_Fernandez_0001 is another woman, Elisabeth_Schumacher's folder holds two people).
  assert.ok(accuracy >= 0.985, `accuracy ${accuracy}`);
  assert.ok(tarAt(0.01) >= 0.98, `TAR@FAR=1% ${tarAt(0.01)}`);
});
