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
  type BoxConvention,
  type Detected,
  type RecallCount,
} from './engine-recall';

export interface SetRun {
  title: string;
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
  photosPerSec: number;
  msPerPhoto: number;
  stages: Omit<StageMs, 'total'>;
  peakRssMiB: number;
}

export const LABEL: Record<PipelineId, string> = {
  visage: 'Visage (1 thread)',
  'visage-pool': 'Visage pool',
  'faceapi-ssd': 'face-api SSD',
  'faceapi-tiny': 'face-api Tiny',
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function detected(run: SetRun, r: ChildResult): Detected[] {
  return run.photos.map((photo, i) => ({ photo, boxes: r.photos[i].boxes }));
}

/** Per-pipeline box conventions, measured on the original photos (where dlib's boxes are native). */
export function conventions(originals: SetRun): Map<PipelineId, BoxConvention> {
  return new Map(originals.results.map((r) => [r.pipeline, fitConvention(detected(originals, r))]));
}

export function rows(run: SetRun, conv: Map<PipelineId, BoxConvention>): Row[] {
  return run.results.map((r) => {
    const stage = (k: keyof StageMs) => median(r.photos.map((p) => median(p.timings.map((t) => t[k]))));
    const det = detected(run, r);
    return {
      pipeline: r.pipeline,
      describe: r.describe,
      photos: r.photos.length,
      faces: r.photos.reduce((n, p) => n + p.boxes.length, 0),
      recall: countRecall(det, conv.get(r.pipeline) ?? IDENTITY),
      rawRecall: countRecall(det, IDENTITY),
      photosPerSec: r.photos.length / (median(r.passMs) / 1000),
      msPerPhoto: stage('total'),
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
  const reps = run.results[0]?.passMs.length ?? 0;
  const lines = [
    `### ${run.title}`,
    '',
    `${run.about} ${run.photos.length} photos, ${run.photos.reduce((n, p) => n + (p.truth?.length ?? 0), 0)} true faces ` +
      `(dlib boxes) in ${run.photos.filter((p) => p.truth).length} of them; ${reps} timed passes after one warm-up photo.`,
    '',
    '| pipeline | faces found | recall (IoU ≥ 0.5) | raw-box recall | false pos. | photos/s | ms/photo (median) | decode | detect | landmarks | align | embed | peak RSS |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rs) {
    const s = r.stages;
    lines.push(
      `| ${LABEL[r.pipeline]} | ${r.faces} | ${pct(r.recall)} | ${pct(r.rawRecall)} | ${r.recall.falsePositives} | ${rate(r)} | ` +
        `${ms(r.msPerPhoto)} | ${ms(s.decode)} | ${ms(s.detect)} | ${ms(s.landmarks)} | ${ms(s.align)} | ${ms(s.embed)} | ` +
        `${Math.round(r.peakRssMiB)} MiB |`,
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

/** The ratio lines and the plain reading for one set. */
export function reading(run: SetRun, rs: Row[]): string {
  const get = (p: PipelineId) => rs.find((r) => r.pipeline === p);
  const v = get('visage');
  const pool = get('visage-pool');
  const ssd = get('faceapi-ssd');
  const tiny = get('faceapi-tiny');
  if (!v || !ssd) return '';
  const rec = (r: Row) => (r.recall.truth ? r.recall.hits / r.recall.truth : NaN);
  const ratio = v.photosPerSec / ssd.photosPerSec;
  const recallOk = rec(v) >= rec(ssd);
  const goal = ratio >= 3 && recallOk;
  const parts = [
    `**${run.title}:** Visage ${rate(v)} photos/s vs face-api SSD ${rate(ssd)} (one core each): **${x(v.photosPerSec, ssd.photosPerSec)}**` +
      (tiny ? `; vs face-api Tiny ${rate(tiny)}: ${x(v.photosPerSec, tiny.photosPerSec)}` : '') +
      (pool
        ? `; Visage pool ${rate(pool)} photos/s (${x(pool.photosPerSec, ssd.photosPerSec)} face-api SSD)`
        : '') +
      `. Recall ${pct(v.recall)} vs ${pct(ssd.recall)}` +
      (tiny ? ` (Tiny ${pct(tiny.recall)})` : '') +
      `; false positives ${v.recall.falsePositives} vs ${ssd.recall.falsePositives}. ` +
      `Goal (≥ 3× at equal or better recall): **${goal ? 'met' : 'not met'}**` +
      (goal ? '.' : ratio < 3 ? ` (throughput ${x(v.photosPerSec, ssd.photosPerSec)}).` : ' (recall lower).'),
  ];
  const slowest = Object.entries<number>(v.stages).sort((a, b) => b[1] - a[1])[0];
  parts.push(
    `Visage's largest stage per photo is ${slowest[0]} (median ${ms(slowest[1])} ms of ${ms(v.msPerPhoto)}); ` +
      `face-api's detect alone takes ${ms(ssd.stages.detect)} ms (SSD) per photo.`,
  );
  return parts.join(' ');
}
