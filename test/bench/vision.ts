/**
 * Vision pipeline stage timings (in-process, one thread, ORT 1 thread): LFW 250×250 photos (the first
 * 300 images of pairs_dev) and the 12-MP composite group photo of the golden tests (3 passes). Reports
 * wall ms per stage and the process CPU time, which stays meaningful when other processes share the
 * cores (wall time then grows, CPU time much less). Bounded: about half a minute on two free cores.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analysePhoto, type StageTimings } from '../../main/engine/vision/face-pipeline';
import { build12MpComposite } from '../golden/vision-fixtures';
import { face } from '../support/paths';

const STAGES: (keyof StageTimings)[] = ['decode', 'detect', 'landmarks', 'align', 'embed', 'total'];

interface Run {
  images: number;
  faces: number;
  wallMs: number;
  cpuMs: number;
  stages: StageTimings;
}

async function timeFiles(files: string[]): Promise<Run> {
  const stages: StageTimings = { decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, total: 0 };
  let faces = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const file of files) {
    const r = await analysePhoto(file);
    faces += r.faces.length;
    for (const k of STAGES) stages[k] += r.timings[k];
  }
  const used = process.cpuUsage(cpu);
  return {
    images: files.length,
    faces,
    wallMs: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    stages,
  };
}

function lfwFiles(count: number): string[] {
  const files = new Set<string>();
  for (const line of readFileSync(face('lfw_dev', 'pairs_dev.txt'), 'utf8').trim().split('\n')) {
    const p = line.trim().split('\t');
    const names =
      p.length === 3
        ? [
            [p[0]!, p[1]!],
            [p[0]!, p[2]!],
          ]
        : [
            [p[0]!, p[1]!],
            [p[2]!, p[3]!],
          ];
    for (const [n, i] of names) files.add(face('lfw_dev', n!, `${n!}_${i!.padStart(4, '0')}.jpg`));
    if (files.size >= count) break;
  }
  return [...files].slice(0, count);
}

function row(name: string, r: Run): string {
  const per = (v: number) => (v / r.images).toFixed(1);
  return `| ${name} | ${r.images} | ${r.faces} | ${STAGES.map((k) => per(r.stages[k])).join(' | ')} | ${per(r.cpuMs)} | ${(r.images / (r.wallMs / 1000)).toFixed(2)} |`;
}

export async function runVisionBench(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-vision-bench-'));
  try {
    await analysePhoto(face('face_recognition', 'examples', 'two_people.jpg')); // load the models first
    const lfw = await timeFiles(lfwFiles(300));
    const { file } = await build12MpComposite(dir);
    const big = await timeFiles([file, file, file]);
    return [
      'In-process pipeline (decode → pyramid detect → 68 landmarks → align → embed), one thread, ORT 1 thread.',
      'Stage columns are wall ms per image (landmarks/align/embed summed over its faces); CPU is the process CPU ms per image.',
      '',
      '| set | images | faces | decode | detect | landmarks | align | embed | total | CPU | images/s |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      row('LFW 250×250 (pairs_dev, first 300)', lfw),
      row('12 MP composite (4000×3000), 3 passes', big),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runVisionBench());
