/**
 * Turns the engine bench's measurements into its Markdown section: one table per photo set, the box
 * conventions used for recall, the Visage / face-api ratios and a plain reading. Every number printed
 * here is computed from the child processes' results; the reading's wording is chosen by comparisons.
 */
import type { ChildResult, PipelineId, StageMs } from './engine-child';
import type { BenchPhoto } from './engine-photos';
import {
  countRecall,
  fitConvention,
  IDENTITY,
  median,
  type BoxConvention,
  type Detected,
  type RecallCount,
} from './engine-recall';

export interface SetRun {
  title: string;
  /** The set's name inside a sentence ("original photos"). */
  phrase: string;
  /** One line on what the set is. */
  about: string;
  photos: BenchPhoto[];
  results: ChildResult[];
}

export interface Row {
  pipeline: PipelineId;
  describe: string;
  photos: number;
  faces: number;
  recall: RecallCount;
  rawRecall: RecallCount;
  centreRecall: RecallCount;
  photosPerSec: number;
  msPerPhoto: number;
  /** Landmarks + align + embed time over all photos ÷ faces found (per-face cost after detection). */
  msPerFace: number;
  stages: Omit<StageMs, 'total'>;
  peakRssMiB: number;
}

export const LABEL: Record<PipelineId, string> = {
  'decode-floor': 'Decode floor',
  'decode-floor-pool': 'Decode floor (pool parallelism)',
  visage: 'Visage (1 thread)',
  'visage-pool-1': 'Visage pool of 1',
  'visage-pool': 'Visage pool',
  'faceapi-ssd': 'face-api SSD',
  'faceapi-tiny': 'face-api Tiny',
};

function detected(run: SetRun, r: ChildResult): Detected[] {
  return run.photos.map((photo, i) => ({ photo, boxes: r.photos[i]!.boxes }));
}

/** Per-pipeline box conventions, measured on the original photos (where dlib's boxes are native). */
export function conventions(originals: SetRun): Map<PipelineId, BoxConvention> {
  return new Map(
    originals.results
      .filter((r) => !isFloor(r.pipeline))
      .map((r) => [r.pipeline, fitConvention(detected(originals, r))]),
  );
}

const isFloor = (p: PipelineId) => p === 'decode-floor' || p === 'decode-floor-pool';
/** Pipelines that run on several cores at once are compared with the floor decoded just as parallel. */
const isParallel = (p: PipelineId) => p === 'visage-pool' || p === 'decode-floor-pool';

export function rows(run: SetRun, conv: Map<PipelineId, BoxConvention>): Row[] {
  return run.results.map((r) => {
    const stage = (k: keyof StageMs) => median(r.photos.map((p) => median(p.timings.map((t) => t[k]))));
    const det = detected(run, r);
    return {
      pipeline: r.pipeline,
      describe: r.describe,
      photos: r.photos.length,
      faces: r.photos.reduce((n, p) => n + p.boxes.length, 0),
      recall: countRecall(det, { kind: 'iou', convention: conv.get(r.pipeline) ?? IDENTITY }),
      rawRecall: countRecall(det, { kind: 'iou', convention: IDENTITY }),
      centreRecall: countRecall(det, { kind: 'centre' }),
      photosPerSec: r.photos.length / (median(r.passMs) / 1000),
      msPerPhoto: stage('total'),
      msPerFace:
        r.photos.reduce((sum, p) => sum + median(p.timings.map((t) => t.landmarks + t.align + t.embed)), 0) /
        Math.max(
          1,
          r.photos.reduce((n, p) => n + p.boxes.length, 0),
        ),
      stages: {
        decode: stage('decode'),
        detect: stage('detect'),
        landmarks: stage('landmarks'),
        align: stage('align'),
        embed: stage('embed'),
      },
      peakRssMiB: r.peakRssMiB,
    };
  });
}

const pct = (c: RecallCount) =>
  c.truth ? `${((100 * c.hits) / c.truth).toFixed(1)} % (${c.hits}/${c.truth})` : '–';
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const rate = (r: Row) => r.photosPerSec.toFixed(2);

export function setTable(run: SetRun, rs: Row[]): string {
  const reps = run.results.map((r) => `${LABEL[r.pipeline]} ${r.passMs.length}`).join(', ');
  const lines = [
    `### ${run.title}`,
    '',
    `${run.about} ${run.photos.length} photos, ${run.photos.reduce((n, p) => n + (p.truth?.length ?? 0), 0)} true faces ` +
      `(dlib boxes) in ${run.photos.filter((p) => p.truth).length} of them. Timed passes after one warm-up photo: ${reps}.`,
    '',
    '| pipeline | faces found | recall (IoU ≥ 0.5) | false pos. | raw-box recall | centre-in recall | centre-in false pos. |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rs.filter((x) => !isFloor(x.pipeline))) {
    lines.push(
      `| ${LABEL[r.pipeline]} | ${r.faces} | ${pct(r.recall)} | ${r.recall.falsePositives} | ${pct(r.rawRecall)} | ` +
        `${pct(r.centreRecall)} | ${r.centreRecall.falsePositives} |`,
    );
  }
  lines.push(
    '',
    '| pipeline | photos/s | × decode floor | ms/photo (median) | decode | detect | landmarks | align | embed | ms/face after detect | peak RSS |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const r of rs) {
    const s = r.stages;
    const floor = floorFor(rs, r.pipeline);
    const vsFloor = floor ? `${(floor.photosPerSec / r.photosPerSec).toFixed(1)}×` : '–';
    lines.push(
      `| ${LABEL[r.pipeline]} | ${rate(r)} | ${vsFloor} | ${ms(r.msPerPhoto)} | ${ms(s.decode)} | ${ms(s.detect)} | ` +
        `${ms(s.landmarks)} | ${ms(s.align)} | ${ms(s.embed)} | ${ms(r.msPerFace)} | ${Math.round(r.peakRssMiB)} MiB |`,
    );
  }
  return lines.join('\n');
}

export function conventionTable(conv: Map<PipelineId, BoxConvention>): string {
  const lines = [
    '| pipeline | centre shift x | centre shift y | width × | height × | pairs |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const [p, c] of conv) {
    lines.push(
      `| ${LABEL[p]} | ${c.dx.toFixed(3)} w | ${c.dy.toFixed(3)} h | ${c.sw.toFixed(3)} | ${c.sh.toFixed(3)} | ${c.pairs} |`,
    );
  }
  return lines.join('\n');
}

const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The yardstick of a row: the decode floor run with the same parallelism (one core for in-process rows). */
function floorFor(rs: Row[], p: PipelineId): Row | undefined {
  const want = isParallel(p) ? 'decode-floor-pool' : 'decode-floor';
  return rs.find((r) => r.pipeline === want);
}

/** Pool scaling: the default pool against one worker with one ORT thread, on the same photos in the same run. */
function scaling(rs: Row[]): string {
  const one = rs.find((r) => r.pipeline === 'visage-pool-1');
  const pool = rs.find((r) => r.pipeline === 'visage-pool');
  const seq = rs.find((r) => r.pipeline === 'visage');
  if (!one || !pool) return '';
  const floor = floorFor(rs, 'visage-pool');
  return (
    ` The default pool runs ${x(pool.photosPerSec, one.photosPerSec)} a pool of one worker (${rate(pool)} against ${rate(one)} photos/s; ` +
    `the issue's target on 2 idle cores is ≥ 1.7×)` +
    (seq
      ? ` and ${x(one.photosPerSec, seq.photosPerSec)} for one worker with decode overlap against the in-process pipeline`
      : '') +
    (floor
      ? `; it takes ${x(floor.photosPerSec, pool.photosPerSec)} the time of the decode floor run as parallel.`
      : '.') +
    machineYield(rs, pool)
  );
}

/**
 * What two threads are worth on this machine: the decode floor (no shared state, nothing to wait for)
 * run two at once against one. On a shared 2-vCPU machine it is well under 2×, so the pool's own
 * scaling is set beside it, and beside the 1-thread pipeline (all the work of one photo on one thread).
 */
function machineYield(rs: Row[], pool: Row): string {
  const single = rs.find((r) => r.pipeline === 'decode-floor');
  const double = rs.find((r) => r.pipeline === 'decode-floor-pool');
  const seq = rs.find((r) => r.pipeline === 'visage');
  if (!single || !double) return '';
  return (
    ` Two decodes at once run ${x(double.photosPerSec, single.photosPerSec)} one on this machine (the decode floor rows: ` +
    `work with nothing shared), so its two cores are worth about that much here, not 2×` +
    (seq ? `; the default pool runs ${x(pool.photosPerSec, seq.photosPerSec)} the 1-thread pipeline.` : '.')
  );
}

const rec = (c: RecallCount) => (c.truth ? c.hits / c.truth : NaN);

/** One set's sentences: the ratio, recall on both rules, and whether the goal holds. */
function setSentences(run: SetRun, rs: Row[]): string {
  const get = (p: PipelineId) => rs.find((r) => r.pipeline === p);
  const v = get('visage');
  const pool = get('visage-pool');
  const ssd = get('faceapi-ssd');
  const tiny = get('faceapi-tiny');
  const floor = get('decode-floor');
  if (!v) return `${run.title}: incomplete run.`;
  const scale = scaling(rs);
  const floorText = floor
    ? ` One photo takes Visage ${x(floor.photosPerSec, v.photosPerSec)} the time of decoding it alone (the decode floor, ${rate(floor)} photos/s on one core); the issue's target is ≤ 3×.`
    : '';
  if (!ssd)
    return (
      `On the ${run.phrase}, Visage runs ${rate(v)} photos/s on one core` +
      (pool ? ` and the default worker pool ${rate(pool)}` : '') +
      `, recall at IoU ≥ 0.5 ${pct(v.recall)} with ${v.recall.falsePositives} false positives.` +
      floorText +
      scale
    );
  const ratio = v.photosPerSec / ssd.photosPerSec;
  const goal = ratio >= 3 && rec(v.recall) >= rec(ssd.recall);
  const gap = rec(ssd.centreRecall) >= 1 ? 'all' : 'part';
  const loose =
    rec(ssd.centreRecall) > rec(ssd.recall)
      ? ` (the centre-inside rule credits face-api SSD with ${pct(ssd.centreRecall)}: ${gap} of its shortfall is loose boxes rather than missed faces)`
      : '';
  return (
    `On the ${run.phrase}, Visage runs ${rate(v)} photos/s against face-api SSD's ${rate(ssd)} on one core each, ` +
    `**${x(v.photosPerSec, ssd.photosPerSec)}**` +
    (tiny ? ` (${x(v.photosPerSec, tiny.photosPerSec)} face-api Tiny's ${rate(tiny)})` : '') +
    (pool ? `; the default worker pool (see above) runs ${rate(pool)} photos/s` : '') +
    `. Recall at IoU ≥ 0.5 is ${pct(v.recall)} for Visage and ${pct(ssd.recall)} for face-api SSD${loose}` +
    (tiny ? `, ${pct(tiny.recall)} for Tiny` : '') +
    `, with ${v.recall.falsePositives} and ${ssd.recall.falsePositives} false positives. ` +
    `The goal (≥ 3× at equal or better recall) is **${goal ? 'met' : 'not met'}** here. ` +
    `Visage's costliest stage is ${slowest(v)}; face-api's is ${slowest(ssd)}.` +
    floorText +
    scale
  );
}

function slowest(r: Row): string {
  const [name, v] = Object.entries<number>(r.stages).sort((a, b) => b[1] - a[1])[0]!;
  return `${name} (median ${ms(v)} of ${ms(r.msPerPhoto)} ms per photo)`;
}

/** The plain reading: one paragraph over all sets. */
export function reading(sets: { run: SetRun; rows: Row[] }[]): string {
  return `**Reading.** ${sets.map((s) => setSentences(s.run, s.rows)).join(' ')}`;
}
