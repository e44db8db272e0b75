/**
 * The face-engine section of BENCHMARKS.md (issue 2, "Proof"): Visage end to end (decode → pyramid
 * detect → landmarks → align → embed) on full-size multi-face photos, in-process and through the vision
 * worker pool, against @vladmandic/face-api (TF.js WASM) on the same photos in the same run, with
 * recall on dlib's true boxes for both. Each pipeline runs in its own child process (engine-child.ts)
 * so peak RSS is per pipeline, next to a decode floor (the same decodes and nothing else). Bounded:
 * 19 + 9 + 9 photos, VISAGE_BENCH_REPS timed passes (default 3;
 * face-api Tiny, a side note, gets one, on the original photos only; face-api is left out of the 24 MP set).
 * Pool scaling: the default pool against a pool of one worker (one ORT thread), and against the decode
 * floor run with the pool's parallelism. A reduced run: VISAGE_BENCH_SETS=original,12mp,24mp (any of
 * them) and VISAGE_BENCH_PIPELINES=decode-floor,visage,… (any of PIPELINES; default all).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rect } from '../../main/engine/vision/nms';
import type { BoxConvention } from './engine-recall';
import type { ChildResult, FromChild, PipelineId, StageMs, ToChild } from './engine-child';
import { make12MpPhotos, make24MpPhotos, originalPhotos } from './engine-photos';
import { IOU_MIN } from './engine-recall';
import { conventions, conventionTable, reading, rows, setTable, type SetRun } from './engine-report';

const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
/**
 * A child that takes longer than this for one step is stuck: fail the section rather than hang.
 * VISAGE_BENCH_STEP_MINUTES raises it on a loaded machine (face-api SSD needed over 5 min for the 12 MP set).
 */
const STEP_TIMEOUT_MS = Number(process.env.VISAGE_BENCH_STEP_MINUTES ?? 5) * 60_000;
const PIPELINES: PipelineId[] = [
  'decode-floor',
  'decode-floor-pool',
  'visage',
  'visage-pool-1',
  'visage-pool',
  'faceapi-ssd',
  'faceapi-tiny',
];
const SETS = ['original', '12mp', '24mp'] as const;
type SetId = (typeof SETS)[number];

/** A comma list from the environment, checked against what exists; all of them when unset. */
function chosen<T extends string>(name: string, all: readonly T[]): T[] {
  const v = process.env[name];
  if (!v) return [...all];
  const picked = v.split(',').map((x) => x.trim()) as T[];
  const bad = picked.filter((x) => !all.includes(x));
  if (bad.length) throw new Error(`${name}: unknown ${bad.join(', ')} (choose from ${all.join(', ')})`);
  return picked;
}

function repsWanted(): number {
  const n = Number(process.env.VISAGE_BENCH_REPS ?? 3);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`VISAGE_BENCH_REPS must be a positive integer, not ${n}`);
  return n;
}

/** face-api Tiny is a side note (and slow on 12 MP): one pass is enough for its recall and a rough rate. */
const repsFor = (p: PipelineId, n: number) => (p === 'faceapi-tiny' ? 1 : n);

/** The parent's end of one engine-child.ts process: one request at a time, each answered once. */
class Child {
  private readonly proc: ChildProcess;
  private waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void } | null = null;
  private exited: Error | null = null;

  constructor(readonly pipeline: PipelineId) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    this.proc.stdout?.pipe(process.stderr); // TF.js prints hints on stdout; keep the bench's stdout clean
    this.proc.on('message', (m: FromChild) => {
      const w = this.waiting;
      this.waiting = null;
      if (m.type === 'error') w?.reject(new Error(`engine bench ${pipeline}: ${m.message}`));
      else w?.resolve(m);
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = new Error(`engine bench ${pipeline} exited (${signal ?? `code ${code}`})`);
      this.waiting?.reject(this.exited);
      this.waiting = null;
    });
  }

  request(msg: ToChild): Promise<FromChild> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), STEP_TIMEOUT_MS);
      this.waiting = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.proc.send(msg);
    });
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

function expect<T extends FromChild['type']>(m: FromChild, type: T): Extract<FromChild, { type: T }> {
  if (m.type !== type) throw new Error(`engine bench: expected ${type}, got ${m.type}`);
  return m as Extract<FromChild, { type: T }>;
}

/**
 * Measures every pipeline on one set: all children load and warm up, then take turns pass by pass
 * (the order rotates each round), then report peak RSS and exit.
 */
async function measure(set: Omit<SetRun, 'results'>, only = PIPELINES): Promise<SetRun> {
  const { title, photos } = set;
  const wanted = chosen('VISAGE_BENCH_PIPELINES', PIPELINES);
  const pipelines = only.filter((p) => wanted.includes(p));
  const files = photos.map((p) => p.file);
  const n = repsWanted();
  const children = pipelines.map((p) => new Child(p));
  try {
    const results: ChildResult[] = [];
    for (const c of children) {
      console.error(`bench engine: ${title} · loading ${c.pipeline} …`);
      const ready = expect(await c.request({ type: 'start', pipeline: c.pipeline, files }), 'ready');
      const photosOut = files.map((file) => ({ file, boxes: [] as Rect[], timings: [] as StageMs[] }));
      results.push({
        pipeline: c.pipeline,
        describe: ready.describe,
        passMs: [],
        photos: photosOut,
        peakRssMiB: 0,
      });
    }
    for (let round = 0; round < n; round++) {
      for (let k = 0; k < children.length; k++) {
        const i = (k + round) % children.length;
        const c = children[i]!;
        const r = results[i]!;
        if (r.passMs.length >= repsFor(c.pipeline, n)) continue;
        const started = Date.now();
        const pass = expect(await c.request({ type: 'pass' }), 'pass');
        r.passMs.push(pass.ms);
        pass.outcomes.forEach((o, j) => {
          if (round === 0) r.photos[j]!.boxes = o.boxes;
          r.photos[j]!.timings.push(o.timings);
        });
        console.error(
          `bench engine: ${title} · ${c.pipeline} pass ${r.passMs.length} in ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }
    }
    for (const [i, c] of children.entries())
      results[i]!.peakRssMiB = expect(await c.request({ type: 'finish' }), 'done').peakRssMiB;
    return { ...set, results };
  } finally {
    for (const c of children) c.kill();
  }
}

const load = () => os.loadavg()[0]!.toFixed(2);

export async function runEngineBench(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-engine-bench-'));
  const sets = chosen<SetId>('VISAGE_BENCH_SETS', SETS);
  try {
    const loadBefore = load();
    const runs: SetRun[] = [];
    if (sets.includes('original'))
      runs.push(
        await measure({
          title: 'Original photos',
          phrase: 'original photos',
          about:
            'The shared multi-face photos at their own size (dlib_faces, faceapi_bbt cast photos, face_recognition ' +
            'group photos; 0.1–1 MP).',
          photos: originalPhotos(),
        }),
      );
    if (sets.includes('12mp')) {
      const big = await make12MpPhotos(dir);
      runs.push(
        await measure(
          {
            title: '12 MP photos',
            phrase: '12 MP photos',
            about:
              'Made at bench time in a temp folder: 6 shared group photos upscaled (Lanczos) to ~12 MP, two 2×2 and one ' +
              '4×4 mosaic (4000×3000) of shared photos, JPEG q90; true boxes scaled and shifted with them. Both ' +
              'pipelines get the same ≤ 6 MP decode (decode.ts shrink-on-load).',
            photos: big,
          },
          PIPELINES.filter((p) => p !== 'faceapi-tiny'),
        ),
      );
      rmSync(dir, { recursive: true, force: true }); // the 12 MP files are done with: keep the temp folder small
      mkdirSync(dir, { recursive: true });
    }
    if (sets.includes('24mp')) {
      const huge = await make24MpPhotos(dir);
      runs.push(
        await measure(
          {
            title: '24 MP photos',
            phrase: '24 MP photos',
            about:
              'The same recipe at 24 MP (6000×4000 mosaics), made at bench time. Visage decodes them to ≤ 6 MP with ' +
              'libjpeg shrink-on-load and re-decodes the region of faces under 80 px there at full resolution ' +
              '([Note: face detail]). face-api is left out here (over 5 min a pass on the 12 MP set on a loaded ' +
              'machine); the decode floor is the yardstick.',
            photos: huge,
          },
          PIPELINES.filter((p) => !p.startsWith('faceapi')),
        ),
      );
    }
    const origRun = runs.find((r) => r.title === 'Original photos');
    // Box conventions are measured on the original photos; without them (a reduced run) recall uses raw boxes.
    const conv = origRun ? conventions(origRun) : new Map<PipelineId, BoxConvention>();
    const tables = runs.map((run) => ({ run, rows: rows(run, conv) }));
    const describe = [
      ...new Map(runs.flatMap((r) => r.results.map((x) => [x.pipeline, x.describe] as const))),
    ];
    const reduced =
      sets.length < SETS.length || process.env.VISAGE_BENCH_PIPELINES
        ? `**Reduced run**: sets ${sets.join(', ')}; pipelines ${chosen('VISAGE_BENCH_PIPELINES', PIPELINES).join(', ')}` +
          (origRun ? '.\n\n' : ' (no original photos, so no box conventions: recall matches raw boxes).\n\n')
        : '';
    return [
      `${reduced}Load average (1 min) ${loadBefore} before and ${load()} after: the machine is shared, so absolute times carry that noise; ` +
        'both pipelines ran back to back in the same run on the same photos.',
      '',
      ...describe.map(([p, d]) => `- **${p}**: ${d}`),
      '',
      ...tables.flatMap((t) => [setTable(t.run, t.rows), '']),
      "**Columns.** photos/s: photos ÷ wall time of a whole pass (median of passes). × decode floor: the decode floor's photos/s ÷ the row's (how many decodes one photo costs); the pool's rows are set against the floor decoded with the same parallelism. ms/photo and the stage columns: " +
        'median over photos of each photo’s median over passes (stage medians need not add up to the total). Stage ' +
        'times: landmarks/align/embed are summed over the faces of a photo; face-api "align" is its aligned-rect crop ' +
        '(it does not warp). ms/face after detect: landmarks + align + embed over the whole set ÷ faces found. Peak RSS: the measuring process’s maxrss, worker threads included, models loaded.',
      '',
      `**How boxes were matched.** dlib's boxes are tight squares; both detectors draw larger, taller boxes, so ` +
        `each pipeline's box convention was measured on the original photos (median offset and scale of the true box ` +
        `relative to each detection whose centre lies inside exactly one true box) and applied to all of that ` +
        `pipeline's detections before greedy one-to-one matching at IoU ≥ ${IOU_MIN}; the same rule for every ` +
        `pipeline. "raw-box recall" is the same matching without the mapping. False positives are unmatched ` +
        `detections inside labelled photos or mosaic cells (dlib's labels can omit faces, e.g. turned away, so ` +
        `some may be real faces).`,
      '',
      conventionTable(conv),
      '',
      reading(tables),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
