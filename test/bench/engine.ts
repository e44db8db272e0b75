/**
 * The face-engine section of BENCHMARKS.md (issue 2, "Proof"): Visage end to end (decode → pyramid
 * detect → landmarks → align → embed) on full-size multi-face photos, in-process and through the vision
 * worker pool, against @vladmandic/face-api (TF.js WASM) on the same photos in the same run, with
 * recall on dlib's true boxes for both. Each measurement runs in its own child process
 * (engine-child.ts) so peak RSS is per pipeline. Bounded: 19 + 9 photos, VISAGE_BENCH_REPS timed passes
 * (default 3; face-api Tiny, a side note, gets one), a few minutes on two cores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildJob, ChildResult, PipelineId } from './engine-child';
import { make12MpPhotos, originalPhotos, type BenchPhoto } from './engine-photos';
import { IOU_MIN } from './engine-recall';
import { conventions, conventionTable, reading, rows, setTable, type SetRun } from './engine-report';

const CHILD = fileURLToPath(new URL('./engine-child.ts', import.meta.url));
/** A child that takes longer than this is stuck: fail the section rather than hang the bench. */
const CHILD_TIMEOUT_MS = 8 * 60_000;
const PIPELINES: PipelineId[] = ['visage', 'visage-pool', 'faceapi-ssd', 'faceapi-tiny'];

function reps(p: PipelineId): number {
  const n = Number(process.env.VISAGE_BENCH_REPS ?? 3);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`VISAGE_BENCH_REPS must be a positive integer, not ${n}`);
  return p === 'faceapi-tiny' ? 1 : n;
}

function runChild(job: ChildJob, dir: string): Promise<ChildResult> {
  const jobFile = path.join(dir, `${job.pipeline}-job.json`);
  const outFile = path.join(dir, `${job.pipeline}-out.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  rmSync(outFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, jobFile, outFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pipe(process.stderr); // TF.js prints hints on stdout; keep the bench's stdout clean
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`engine bench child ${job.pipeline} failed (${signal ?? `exit ${code}`})`));
        return;
      }
      resolve(JSON.parse(readFileSync(outFile, 'utf8')) as ChildResult);
    });
  });
}

async function measure(title: string, about: string, photos: BenchPhoto[], dir: string): Promise<SetRun> {
  const results: ChildResult[] = [];
  for (const pipeline of PIPELINES) {
    const started = Date.now();
    console.error(`bench engine: ${title} · ${pipeline} …`);
    results.push(await runChild({ pipeline, files: photos.map((p) => p.file), reps: reps(pipeline) }, dir));
    console.error(
      `bench engine: ${title} · ${pipeline} done in ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }
  return { title, about, photos, results };
}

const load = () => os.loadavg()[0].toFixed(2);

export async function runEngineBench(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-engine-bench-'));
  try {
    const loadBefore = load();
    const originals = originalPhotos();
    const big = await make12MpPhotos(dir);
    const origRun = await measure(
      'Original photos',
      'The shared multi-face photos at their own size (dlib_faces, faceapi_bbt cast photos, face_recognition group photos; 0.1–1 MP).',
      originals,
      dir,
    );
    const bigRun = await measure(
      '12 MP photos',
      'Made at bench time in a temp folder: 6 shared group photos upscaled (Lanczos) to ~12 MP, two 2×2 and one 4×4 ' +
        'mosaic (4000×3000) of shared photos, JPEG q90; true boxes scaled and shifted with them.',
      big,
      dir,
    );
    const conv = conventions(origRun);
    const origRows = rows(origRun, conv);
    const bigRows = rows(bigRun, conv);
    const describe = [...new Map(origRun.results.map((r) => [r.pipeline, r.describe])).entries()];
    return [
      `Load average (1 min) ${loadBefore} before and ${load()} after: the machine is shared, so absolute times carry that noise; ` +
        'both pipelines ran back to back in the same run on the same photos.',
      '',
      ...describe.map(([p, d]) => `- **${p}**: ${d}`),
      '',
      setTable(origRun, origRows),
      '',
      setTable(bigRun, bigRows),
      '',
      '**Columns.** photos/s: photos ÷ wall time of a whole pass (median of passes). ms/photo and the stage columns: ' +
        'median over photos of each photo’s median over passes (stage medians need not add up to the total). Stage ' +
        'times: landmarks/align/embed are summed over the faces of a photo; face-api "align" is its aligned-rect crop ' +
        '(it does not warp). Peak RSS: the measuring process’s maxrss, worker threads included, models loaded.',
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
      reading(origRun, origRows),
      '',
      reading(bigRun, bigRows),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
