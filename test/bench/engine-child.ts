/**
 * One pipeline of the engine bench in its own process, so its peak RSS is its own (the OS's maxrss
 * covers worker threads too) and the peer's TF.js heap never sits in Visage's numbers or the other way
 * round. engine.ts starts one per pipeline with an IPC channel and asks each for one timed pass at a
 * time, taking turns, so a change in machine load hits every pipeline alike.
 * Every process decodes with libvips on one thread and no cache (what a vision worker does) and runs
 * ONNX Runtime / TF.js WASM on one thread, so "in-process" rows compare one core against one core.
 * One untimed warm-up photo per worker loads the models before the first pass.
 */
import sharp from 'sharp';
import type { Rect } from '../../main/engine/vision/nms';

export type PipelineId =
  | 'decode-floor'
  | 'decode-floor-pool'
  | 'visage'
  | 'visage-pool-1'
  | 'visage-pool'
  | 'faceapi-ssd'
  | 'faceapi-tiny';

/** The parent's requests: load and warm up, run one timed pass over the files, report and exit. */
export type ToChild =
  { type: 'start'; pipeline: PipelineId; files: string[] } | { type: 'pass' } | { type: 'finish' };

export interface Outcome {
  /** Faces found, full-resolution pixels. */
  boxes: Rect[];
  timings: StageMs;
}

export type FromChild =
  | { type: 'ready'; describe: string }
  | { type: 'pass'; ms: number; outcomes: Outcome[] }
  | { type: 'done'; peakRssMiB: number }
  | { type: 'error'; message: string };

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

/**
 * The decode floor: each photo decoded exactly as the face pipeline decodes it (same shrink-on-load
 * and plan scale, one libvips thread) and nothing else: the least any face pipeline could cost.
 */
async function decodeOnly(): Promise<Analyse> {
  const { decodePhoto } = await import('../../main/engine/vision/decode');
  const { DEFAULT_MIN_FACE_SIZE } = await import('../../main/engine/vision/face-pipeline');
  const { MODEL_MIN_FACE } = await import('../../main/engine/vision/pyramid');
  const planScale = MODEL_MIN_FACE / DEFAULT_MIN_FACE_SIZE;
  return async (file) => {
    const start = performance.now();
    await decodePhoto(file, { planScale });
    const ms = performance.now() - start;
    return { boxes: [], timings: { decode: ms, detect: 0, landmarks: 0, align: 0, embed: 0, total: ms } };
  };
}

async function decodeFloorRunner(): Promise<Runner> {
  return sequential(
    'decode only, as the face pipeline decodes (sharp/libvips, 1 thread)',
    await decodeOnly(),
  );
}

/**
 * The decode floor with the default pool's parallelism: as many decodes at once as the pool has workers
 * (each on its own libuv thread, one libvips thread each), the yardstick for the pool's rows.
 */
async function decodeFloorPoolRunner(): Promise<Runner> {
  const { visionPlan } = await import('../../main/engine/vision/vision-plan');
  const n = visionPlan().workers;
  const analyse = await decodeOnly();
  return {
    describe: `decode only, ${n} at once (the default pool's workers), 1 libvips thread each`,
    async pass(files) {
      const out: Outcome[] = new Array<Outcome>(files.length);
      let next = 0;
      const lane = async () => {
        for (let i = next++; i < files.length; i = next++) out[i] = await analyse(files[i]!);
      };
      await Promise.all(Array.from({ length: n }, lane));
      return out;
    },
    warmUp: async (file) => {
      await analyse(file);
    },
    close: () => Promise.resolve(),
  };
}

async function poolRunner(size?: number): Promise<Runner> {
  const { VisionPool } = await import('../../main/engine/vision/vision-pool');
  // One worker gets one ORT thread (the plan would give it both cores): the pool-scaling yardstick.
  const pool = new VisionPool(size === undefined ? {} : { size, ortThreads: 1 });
  const what = size === undefined ? 'default size' : 'size';
  return {
    describe:
      `Visage worker pool, ${what} ${pool.size} worker${pool.size === 1 ? '' : 's'} × ${pool.ortThreads} ORT thread, ` +
      `${pool.capacity / pool.size - 1} prefetched photo per worker (decode overlap)`,
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
    case 'decode-floor':
      return decodeFloorRunner();
    case 'visage':
      return visageRunner();
    case 'decode-floor-pool':
      return decodeFloorPoolRunner();
    case 'visage-pool-1':
      return poolRunner(1);
    case 'visage-pool':
      return poolRunner();
    case 'faceapi-ssd':
      return peerRunner('ssd');
    case 'faceapi-tiny':
      return peerRunner('tiny');
  }
}

function send(msg: FromChild): void {
  process.send?.(msg);
}

/** Serves the parent's requests one at a time until `finish`. */
function serve(): void {
  let runner: Runner | null = null;
  let files: string[] = [];
  let queue = Promise.resolve();
  const handle = async (msg: ToChild): Promise<void> => {
    switch (msg.type) {
      case 'start':
        sharp.concurrency(1);
        sharp.cache(false);
        files = msg.files;
        runner = await runnerFor(msg.pipeline);
        await runner.warmUp(files[0]!);
        send({ type: 'ready', describe: runner.describe });
        return;
      case 'pass': {
        if (!runner) throw new Error('pass before start');
        const begin = performance.now();
        const outcomes = await runner.pass(files);
        send({ type: 'pass', ms: performance.now() - begin, outcomes });
        return;
      }
      case 'finish':
        await runner?.close();
        send({ type: 'done', peakRssMiB: process.resourceUsage().maxRSS / 1024 });
        process.disconnect();
        return;
    }
  };
  process.on('message', (msg: ToChild) => {
    queue = queue
      .then(() => handle(msg))
      .catch((err: unknown) => {
        send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        process.exitCode = 1;
        process.disconnect();
      });
  });
}

if (!process.send) throw new Error('engine-child.ts is started by engine.ts with an IPC channel');
serve();
