/**
 * One engine-bench measurement in its own process, so its peak RSS is its own (the OS's maxrss covers
 * the worker threads too) and the peer's TF.js heap never sits in Visage's numbers or the other way
 * round. Run by engine.ts as `node --import tsx engine-child.ts <job.json> <out.json>`.
 * Every process decodes with libvips on one thread and no cache (what a vision worker does) and runs
 * ONNX Runtime / TF.js WASM on one thread, so "in-process" rows compare one core against one core.
 * One untimed warm-up photo per worker loads the models first; then `reps` timed passes over the set.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Rect } from '../../main/engine/vision/nms';

export type PipelineId = 'visage' | 'visage-pool' | 'faceapi-ssd' | 'faceapi-tiny';

export interface ChildJob {
  pipeline: PipelineId;
  files: string[];
  reps: number;
}

export interface StageMs {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  total: number;
}

export interface ChildResult {
  pipeline: PipelineId;
  /** What ran (versions, backend, pool size). */
  describe: string;
  /** Wall time of each timed pass over the whole set. */
  passMs: number[];
  /** Per file: boxes of the first pass (full-resolution pixels) and each pass's stage timings. */
  photos: { file: string; boxes: Rect[]; timings: StageMs[] }[];
  /** Peak resident set size of the process, MiB. */
  peakRssMiB: number;
}

interface Outcome {
  boxes: Rect[];
  timings: StageMs;
}

type Analyse = (file: string) => Promise<Outcome>;

interface Runner {
  describe: string;
  /** Runs a whole pass; resolves each file's outcome (the pool runs several at once). */
  pass(files: string[]): Promise<Outcome[]>;
  warmUp(file: string): Promise<void>;
  close(): Promise<void>;
}

function sequential(describe: string, analyse: Analyse): Runner {
  return {
    describe,
    async pass(files) {
      const out: Outcome[] = [];
      for (const f of files) out.push(await analyse(f));
      return out;
    },
    warmUp: async (file) => {
      await analyse(file);
    },
    close: () => Promise.resolve(),
  };
}

async function visageRunner(): Promise<Runner> {
  const { analysePhoto } = await import('../../main/engine/vision/face-pipeline');
  const { loadModel } = await import('../../main/engine/vision/onnx-session');
  const ep = (await loadModel('detector')).provider;
  return sequential(`Visage in-process, ONNX Runtime ${ep}, 1 thread`, async (file) => {
    const r = await analysePhoto(file);
    return { boxes: r.faces.map((f) => f.box), timings: r.timings };
  });
}

async function poolRunner(): Promise<Runner> {
  const { VisionPool } = await import('../../main/engine/jobs/vision-pool');
  const pool = new VisionPool();
  return {
    describe: `Visage worker pool, default size ${pool.size} worker${pool.size === 1 ? '' : 's'} × 1 ORT thread`,
    async pass(files) {
      const byFile = new Map<string, Outcome>();
      for await (const o of pool.analyseAll(files)) {
        if (!o.result) throw o.error ?? new Error(`no result for ${o.file}`);
        byFile.set(o.file, { boxes: o.result.faces.map((f) => f.box), timings: o.result.timings });
      }
      return files.map((f) => byFile.get(f)!);
    },
    // One request per worker at once, so every worker spawns and loads its models before timing.
    warmUp: async (file) => {
      await Promise.all(Array.from({ length: pool.size }, () => pool.analysePhoto(file)));
    },
    close: () => pool.dispose(),
  };
}

async function peerRunner(detector: 'ssd' | 'tiny'): Promise<Runner> {
  const { loadPeer } = await import('./faceapi-peer');
  const peer = await loadPeer();
  const name = detector === 'ssd' ? 'SSD MobileNet v1' : 'TinyFaceDetector';
  return sequential(`${peer.describe}; ${name}`, async (file) => {
    const r = await peer.analyse(file, detector);
    return { boxes: r.faces.map((f) => f.box), timings: r.timings };
  });
}

function runnerFor(p: PipelineId): Promise<Runner> {
  switch (p) {
    case 'visage':
      return visageRunner();
    case 'visage-pool':
      return poolRunner();
    case 'faceapi-ssd':
      return peerRunner('ssd');
    case 'faceapi-tiny':
      return peerRunner('tiny');
  }
}

async function main(): Promise<void> {
  const [jobFile, outFile] = process.argv.slice(2);
  if (!jobFile || !outFile) throw new Error('usage: engine-child.ts <job.json> <out.json>');
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as ChildJob;
  sharp.concurrency(1);
  sharp.cache(false);
  const runner = await runnerFor(job.pipeline);
  try {
    await runner.warmUp(job.files[0]);
    const photos: ChildResult['photos'] = job.files.map((file) => ({ file, boxes: [], timings: [] }));
    const passMs: number[] = [];
    for (let rep = 0; rep < job.reps; rep++) {
      const start = performance.now();
      const outcomes = await runner.pass(job.files);
      passMs.push(performance.now() - start);
      outcomes.forEach((o, i) => {
        if (rep === 0) photos[i].boxes = o.boxes;
        photos[i].timings.push(o.timings);
      });
    }
    const result: ChildResult = {
      pipeline: job.pipeline,
      describe: runner.describe,
      passMs,
      photos,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    writeFileSync(outFile, JSON.stringify(result));
  } finally {
    await runner.close();
  }
}

await main();
