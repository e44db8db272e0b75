/**
 * The head section of BENCHMARKS.md (issue 3, "Proof"):
 * - `visage eval`'s protocol (5 shots, half the people labelled, the rest strangers) on bollywood_33,
 *   glint_celebs24 and lfw_dev (people with ≥ 8 images), seeds 1–3, mean ± std of every method, plus
 *   what the guard chose per seed and how that choice compares with the nearest-centroid baseline;
 * - the loss comparison (issue 15): the eight losses with one and the same transform (rank
 *   FEATURE_LOSS_RANK, which triplet and centre loss need to learn anything), so a row differs from
 *   another only by its loss: top-1, DIR@1 %, TAR@1e-3, training time and steps to converge;
 * - training throughput: faces/s and achieved GFLOP/s of the head's training steps against the same
 *   backend's plain matmul rate, both measured in this run.
 * Embeddings are cached (VISAGE_BENCH_HOME, default a folder in the OS temp dir) so reruns skip the
 * vision models. Bounded: 3 sets × 3 seeds × 2 passes, each in one worker thread. VISAGE_BENCH_SEEDS
 * (e.g. "1,2") runs fewer seeds on a busy machine; the section says which seeds ran.
 */
import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import path from 'node:path';
import { chooseBackend, describeBackend } from '../../main/engine/head/train/backends';
import type { EvalResult } from '../../main/engine/head/eval/eval-protocol';
import { FEATURE_LOSS_RANK, lossKinds } from '../../main/engine/head/train/losses';
import { meanStd } from '../../main/engine/head/eval/metrics';
import { trainHead } from '../../main/engine/head/train/trainer';
import { defaultTrainSettings } from '../../main/engine/head/train/train-settings';
import { matrix, normaliseInPlace, rng } from '../../main/engine/head/vector-math';
import { evalInWorker } from '../../main/engine/head/worker-client';
import type { EvalReport } from '../../main/engine/head/worker-protocol';
import { face } from '../support/paths';

const SEEDS = (process.env.VISAGE_BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
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
    `| method | top-1 % | DIR@FAR 1 % | TAR@FAR 1e-3 (strangers) | train ms | steps | rank | guard accepted |${OP_HEAD}`,
    `|---|---|---|---|---|---|---|---|${OP_RULE}`,
  ];
  for (const name of names) {
    const runs = results.map((r) => r.methods.find((m) => m.name === name)!);
    const acc = runs.filter((m) => m.guard?.activate).length;
    lines.push(
      `| ${name} | ${pct(meanStd(runs.map((m) => m.top1)))} | ${pct(meanStd(runs.map((m) => m.dir_far1)))} | ${pct(meanStd(runs.map((m) => m.tar_far1e3)))} | ${Math.round(meanStd(runs.map((m) => m.train_ms)).mean)} | ${steps(runs)} | ${runs[0]!.rank ?? '–'} | ${runs[0]!.guard ? `${acc}/${runs.length}` : '–'} |${opCells(runs)}`,
    );
  }
  return lines;
}

/**
 * The product's operating point (operating-point.ts) per row, mean over seeds: precision of what the
 * app would say at each confidence level (over the seeds where that level offered anything), then the
 * coverage of named people's faces and the share of strangers' faces given a name.
 */
const OP_HEAD = ' auto / sure / suggested precision % | coverage % | strangers named % |';
const OP_RULE = '---|---|---|';
function opCells(runs: EvalResult['methods']): string {
  const ops = runs.map((m) => m.operating).filter((o) => o !== undefined);
  if (ops.length === 0) return ' – | – | – |';
  const prec = (k: 'auto' | 'sure' | 'suggested') => {
    const ps = ops.map((o) => o[k].precision).filter((p): p is number => p !== null);
    const n = Math.round(meanStd(ops.map((o) => o[k].count)).mean);
    return ps.length ? `${(meanStd(ps).mean * 100).toFixed(1)} (${n})` : `– (0)`;
  };
  const mean = (f: (o: (typeof ops)[number]) => number) => pct(meanStd(ops.map(f)));
  return ` ${prec('auto')} / ${prec('sure')} / ${prec('suggested')} | ${mean((o) => o.coverage)} | ${mean((o) => o.strangersNamed)} |`;
}

const steps = (runs: EvalResult['methods']) =>
  runs[0]!.steps === null ? '–' : Math.round(meanStd(runs.map((m) => m.steps ?? 0)).mean).toString();

/**
 * The eight losses side by side, same transform: the best mean of each accuracy column in bold (ties
 * too), so "which loss is best on this set" is read off the table, not asserted.
 */
function lossTable(results: EvalResult[]): string[] {
  const rows = lossKinds.map((loss) => {
    const runs = results.map((r) => r.methods.find((m) => m.name === `head-${loss}`)!);
    return {
      loss,
      runs,
      top1: meanStd(runs.map((m) => m.top1)),
      dir: meanStd(runs.map((m) => m.dir_far1)),
      tar: meanStd(runs.map((m) => m.tar_far1e3)),
    };
  });
  const best = (k: 'top1' | 'dir' | 'tar') =>
    Math.max(...rows.map((r) => Number((r[k].mean * 100).toFixed(1))));
  const cell = (r: (typeof rows)[number], k: 'top1' | 'dir' | 'tar') =>
    Number((r[k].mean * 100).toFixed(1)) === best(k) ? `**${pct(r[k])}**` : pct(r[k]);
  const lines = [
    `| loss | top-1 % | DIR@FAR 1 % | TAR@FAR 1e-3 (strangers) | train ms | steps to converge | guard accepted |${OP_HEAD}`,
    `|---|---|---|---|---|---|---|${OP_RULE}`,
    ...rows.map(
      (r) =>
        `| ${r.loss} | ${cell(r, 'top1')} | ${cell(r, 'dir')} | ${cell(r, 'tar')} | ${Math.round(meanStd(r.runs.map((m) => m.train_ms)).mean)} | ${steps(r.runs)} | ${r.runs.filter((m) => m.guard?.activate).length}/${r.runs.length} |${opCells(r.runs)}`,
    ),
  ];
  const t = rows.find((r) => r.loss === 'triplet')!.runs.map((m) => m.triplets);
  if (t.every((v) => v !== null)) {
    lines.push(
      '',
      `Triplet loss: ${Math.round(meanStd(t.map((v) => v.possible)).mean)} triplets among the labelled faces per seed (mean), of which ${meanStd(t.map((v) => v.minedPerStep)).mean.toFixed(1)} semi-hard ones per step were left to learn from.`,
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
  rank?: number,
): Promise<{ report: EvalReport; backend: string }> {
  let backend = 'unknown';
  const report = await evalInWorker(
    {
      type: 'eval',
      root: face(dir),
      minImages,
      cacheFile,
      seeds: SEEDS,
      options: {
        shots: 5,
        losses: [...lossKinds],
        defaultLoss: 'arcface',
        episodes: 4,
        ...(rank === undefined ? {} : { overrides: { rank } }),
      },
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
    `Protocol of \`visage eval ROOT --shots 5\`: per seed, half the people (shuffled) are labelled with 5 faces each; their other faces are probes; the other half are never labelled and play the strangers. Every face of the set is in the library, unlabelled unless it is one of the shots, exactly as in the app. Near-duplicates (byte-identical files; bollywood_33's listed pairs) are removed before splitting. The guard decides from the labelled faces only; probes only measure. Each loss row is scored with its learned weights blended with the centroids. steps: optimizer steps of the final run (its length is the epoch at which validation peaked). rank: of the learned transform; the app's default is 0, and triplet and centre loss, which act on the transformed faces, always train one (rank ${FEATURE_LOSS_RANK}).`,
    '',
    SEEDS.length > 1
      ? `Seeds ${SEEDS.join(', ')}: mean ± std${SEEDS.length < 3 ? ' (fewer than the usual 3 seeds: a reduced run on a busy machine)' : ''}.`
      : `Seed ${SEEDS[0]} only (a reduced run on a busy machine; the usual run has seeds 1, 2, 3): ± 0.0 is one run, not agreement between seeds.`,
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
    const same = await evalSet(s.dir, s.minImages, cacheFile, FEATURE_LOSS_RANK);
    out.push(
      `Loss comparison, every loss with the same rank-${FEATURE_LOSS_RANK} transform (and otherwise the same rows, guard and calibration), so only the loss differs; best mean per column in bold:`,
      '',
      ...lossTable(same.report.results),
      '',
    );
  }
  out.push('### Training throughput', '', ...(await throughput()), '');
  return out.join('\n');
}
