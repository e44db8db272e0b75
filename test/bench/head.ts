/**
 * The head section of BENCHMARKS.md (issue 3, "Proof"):
 * - `visage eval`'s protocol (5 shots, half the people labelled, the rest strangers) on bollywood_33,
 *   glint_celebs24 and lfw_dev (people with ≥ 8 images), seeds 1–3, mean ± std of every method, plus
 *   what the guard chose per seed and how that choice compares with the nearest-centroid baseline;
 * - training throughput: faces/s and achieved GFLOP/s of the head's training steps against the same
 *   backend's plain matmul rate, both measured in this run.
 * Embeddings are cached (VISAGE_BENCH_HOME, default a folder in the OS temp dir) so reruns skip the
 * vision models. Bounded: 3 sets × 3 seeds, each in one worker thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import path from 'node:path';
import { chooseBackend, describeBackend } from '../../main/engine/head/backends';
import type { EvalResult } from '../../main/engine/head/eval-protocol';
import { lossKinds } from '../../main/engine/head/losses';
import { meanStd } from '../../main/engine/head/metrics';
import { trainHead } from '../../main/engine/head/trainer';
import { defaultTrainSettings } from '../../main/engine/head/train-settings';
import { matrix, normaliseInPlace, rng } from '../../main/engine/head/vector-math';
import { evalInWorker } from '../../main/engine/head/worker-client';
import type { EvalReport } from '../../main/engine/head/worker-protocol';
import { face } from '../support/paths';

const SEEDS = [1, 2, 3];
const SETS: { dir: string; minImages: number }[] = [
  { dir: 'bollywood_33', minImages: 1 },
  { dir: 'glint_celebs24', minImages: 1 },
  { dir: 'lfw_dev', minImages: 8 },
];

const pct = (m: { mean: number; std: number }) =>
  `${(m.mean * 100).toFixed(1)} ± ${(m.std * 100).toFixed(1)}`;

function methodTable(results: EvalResult[]): string[] {
  const names = results[0]!.methods.map((m) => m.name);
  const lines = [
    '| method | top-1 % | DIR@FAR 1 % | TAR@FAR 1e-3 (strangers) | train ms | guard accepted |',
    '|---|---|---|---|---|---|',
  ];
  for (const name of names) {
    const runs = results.map((r) => r.methods.find((m) => m.name === name)!);
    const acc = runs.filter((m) => m.guard?.activate).length;
    lines.push(
      `| ${name} | ${pct(meanStd(runs.map((m) => m.top1)))} | ${pct(meanStd(runs.map((m) => m.dir_far1)))} | ${pct(meanStd(runs.map((m) => m.tar_far1e3)))} | ${Math.round(meanStd(runs.map((m) => m.train_ms)).mean)} | ${runs[0]!.guard ? `${acc}/${runs.length}` : '–'} |`,
    );
  }
  return lines;
}

/** The guard's pick per seed against the centroid baseline on the probes (which the guard never saw). */
function activeVsBaseline(results: EvalResult[]): string[] {
  const rows = results.map((r) => {
    const base = r.methods.find((m) => m.name === 'centroid')!;
    const act = r.methods.find((m) => m.name === r.active)!;
    return {
      seed: r.seed,
      active: r.active,
      dTop1: act.top1 - base.top1,
      dDir: act.dir_far1 - base.dir_far1,
      dTar: act.tar_far1e3 - base.tar_far1e3,
    };
  });
  const sign = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`;
  return [
    '| seed | guard chose | Δ top-1 (points) | Δ DIR@1 % | Δ TAR@1e-3 |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.seed} | ${r.active} | ${sign(r.dTop1)} | ${sign(r.dDir)} | ${sign(r.dTar)} |`),
  ];
}

async function evalSet(
  dir: string,
  minImages: number,
  cacheFile: string,
): Promise<{ report: EvalReport; backend: string }> {
  let backend = 'unknown';
  const report = await evalInWorker(
    {
      type: 'eval',
      root: face(dir),
      minImages,
      cacheFile,
      seeds: SEEDS,
      options: { shots: 5, losses: [...lossKinds], defaultLoss: 'arcface', episodes: 4 },
      backend: null,
    },
    { onBackend: (b) => (backend = describeBackend(b)) },
  );
  return { report, backend };
}

/** Plain matmul rate of the active backend: 1024×512 · 512×512, best of a few timed repetitions. */
async function matmulRate(): Promise<number> {
  const a = tf.randomNormal([1024, 512]);
  const b = tf.randomNormal([512, 512]);
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t = performance.now();
    for (let i = 0; i < 10; i++) {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    }
    best = Math.min(best, (performance.now() - t) / 10);
  }
  tf.dispose([a, b]);
  return (2 * 1024 * 512 * 512) / (best * 1e6);
}

/** Training throughput on a library-sized problem (synthetic unit vectors: only the arithmetic matters). */
async function throughput(): Promise<string[]> {
  const chosen = await chooseBackend();
  const d = 512;
  const K = 100;
  const n = 4096;
  const random = rng(5);
  const x = matrix(n, d);
  for (let i = 0; i < n; i++)
    x.data.set(normaliseInPlace(Float32Array.from({ length: d }, () => random() - 0.5)), i * d);
  const data = {
    dim: d,
    classes: Array.from({ length: K }, (_, i) => i + 1),
    x,
    y: Int32Array.from({ length: n }, (_, i) => i % K),
    negatives: { x: matrix(0, d), cls: new Int32Array(0) },
    cannotLink: { a: matrix(0, d), b: matrix(0, d) },
    unlabelled: matrix(0, d),
  };
  const lines = [
    `Backend: ${describeBackend(chosen)}. ${n} labelled faces, ${K} people, batch 4096, 10 epochs, no early stopping.`,
    '',
    '| head | faces/s | achieved GFLOP/s | plain matmul GFLOP/s (same backend, same run) | ratio |',
    '|---|---|---|---|---|',
  ];
  const rate = await matmulRate();
  for (const rank of [0, 32]) {
    const st = { ...defaultTrainSettings(), rank, epochs: 10, background: false, backgroundClasses: false };
    const r = await trainHead(data, st);
    const gflops = r.flops / (r.trainMs * 1e6);
    lines.push(
      `| arcface, rank ${rank} | ${Math.round(r.samples / (r.trainMs / 1000))} | ${gflops.toFixed(2)} | ${rate.toFixed(2)} | ${((100 * gflops) / rate).toFixed(0)} % |`,
    );
  }
  return lines;
}

export async function runHeadBench(): Promise<string> {
  const home = process.env.VISAGE_BENCH_HOME ?? path.join(os.tmpdir(), 'visage-bench');
  const cacheFile = path.join(home, 'eval-embeddings.db');
  const out: string[] = [
    "Protocol of `visage eval ROOT --shots 5`: per seed, half the people (shuffled) are labelled with 5 faces each; their other faces are probes; the other half are never labelled and play the strangers. Every face of the set is in the library, unlabelled unless it is one of the shots, exactly as in the app. Near-duplicates (byte-identical files; bollywood_33's listed pairs) are removed before splitting. The guard decides from the labelled faces only; probes only measure. Seeds 1, 2, 3: mean ± std.",
    '',
  ];
  for (const s of SETS) {
    const { report, backend } = await evalSet(s.dir, s.minImages, cacheFile);
    const r0 = report.results[0]!;
    const e = report.embedding;
    out.push(
      `### ${s.dir}${s.minImages > 1 ? ` (people with ≥ ${s.minImages} images)` : ''}`,
      '',
      `${e.people} people, ${e.faces} faces (${e.missing} without a detected face, ${e.duplicates + e.dropped} duplicates removed); ${r0.counts.people - r0.counts.strangers} labelled people, ${r0.counts.strangers} strangers per seed. Backend ${backend}.`,
      '',
      ...methodTable(report.results),
      '',
      "The guard's choice (default loss: arcface) against the nearest-centroid baseline, on the probes:",
      '',
      ...activeVsBaseline(report.results),
      '',
    );
  }
  out.push('### Training throughput', '', ...(await throughput()), '');
  return out.join('\n');
}
