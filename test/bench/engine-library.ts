/**
 * The "first run" section of BENCHMARKS.md (issue 10): a generated library of VISAGE_BENCH_LIBRARY
 * photos (default 2 000) of mixed sizes (1–24 MP) with 0–8 faces each, indexed by the real engine
 * (catalog, scan, default vision worker pool) in a child process, for its wall time and peak memory.
 * The photos are LFW portraits pasted at random sizes onto a noisy background (never the repo: a temp
 * folder), so face counts and sizes are known and varied. The extrapolation to 50 000 photos is linear
 * in photos of the same mix; a real library's mix of sizes and faces moves it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type OverlayOptions } from 'sharp';
import { facesDir } from '../support/paths';

const CHILD = fileURLToPath(new URL('./engine-library-child.ts', import.meta.url));
/** Megapixels and their share of the library (a phone library: mostly 12 MP, some bigger and smaller). */
const SIZES: [mp: number, share: number][] = [
  [1, 0.15],
  [3, 0.2],
  [8, 0.15],
  [12, 0.35],
  [24, 0.15],
];

export interface LibraryResult {
  photos: number;
  indexed: number;
  failed: number;
  faces: number;
  ms: number;
  peakRssMiB: number;
  workers: number;
}

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** Writes `count` photos into dir; returns the number of pasted faces. */
export async function makeLibrary(dir: string, count: number, seed = 11): Promise<number> {
  const rnd = rng(seed);
  const lfw = path.join(facesDir, 'lfw_dev');
  const people = readdirSync(lfw).slice(0, 400);
  const portraits = people.map((p) => path.join(lfw, p, readdirSync(path.join(lfw, p))[0]!));
  let faces = 0;
  for (let i = 0; i < count; i++) {
    let pick = rnd();
    const mp = SIZES.find(([, share]) => (pick -= share) < 0)?.[0] ?? 12;
    const width = Math.round(Math.sqrt(mp * 1e6 * (4 / 3)));
    const height = Math.round(width * 0.75);
    const n = Math.floor(rnd() * 9);
    const parts: OverlayOptions[] = [];
    for (let k = 0; k < n; k++) {
      // A 250-px LFW portrait holds a ~110-px face: faces from ~3 % to ~12 % of the short side.
      const side = Math.round(height * (0.07 + rnd() * 0.2));
      const input = await sharp(portraits[Math.floor(rnd() * portraits.length)])
        .resize(side, side)
        .toBuffer();
      parts.push({
        input,
        left: Math.floor(rnd() * (width - side)),
        top: Math.floor(rnd() * (height - side)),
      });
    }
    faces += n;
    const background = { r: 60 + Math.floor(rnd() * 140), g: 90, b: 60 + Math.floor(rnd() * 140) };
    await sharp({
      create: { width, height, channels: 3, background, noise: { type: 'gaussian', mean: 128, sigma: 30 } },
    })
      .composite(parts)
      .jpeg({ quality: 88 })
      .toFile(path.join(dir, `p${String(i).padStart(5, '0')}.jpg`));
  }
  return faces;
}

export async function runLibraryBench(): Promise<string> {
  const count = Number(process.env.VISAGE_BENCH_LIBRARY ?? 2000);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`VISAGE_BENCH_LIBRARY must be a positive integer, not ${count}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-library-bench-'));
  try {
    const photos = path.join(dir, 'photos');
    const started = Date.now();
    console.error(`bench library: generating ${count} photos …`);
    mkdirSync(photos);
    const pasted = await makeLibrary(photos, count);
    const genS = Math.round((Date.now() - started) / 1000);
    console.error(`bench library: indexing …`);
    const run = spawnSync(process.execPath, ['--import', 'tsx', CHILD, photos, path.join(dir, 'visage.db')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 6 * 3600_000,
    });
    if (run.status !== 0) throw new Error(`engine-library-child failed (${run.status ?? run.signal})`);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as LibraryResult;
    const perPhoto = r.ms / r.photos;
    const hours = (n: number) => ((n * perPhoto) / 3_600_000).toFixed(1);
    const mix = SIZES.map(([mp, share]) => `${Math.round(share * 100)} % ${mp} MP`).join(', ');
    return [
      `${r.photos} generated photos (${mix}; 0–8 LFW faces each, ${pasted} in all, faces 3–12 % of the short side; ` +
        `generated in ${genS} s, not timed) indexed by the engine (scan, catalog, default pool of ${r.workers} workers) in a child process.`,
      '',
      '| photos | indexed | failed | faces found | index time | photos/s | peak RSS | 50 000 photos at this rate |',
      '|--:|--:|--:|--:|--:|--:|--:|--:|',
      `| ${r.photos} | ${r.indexed} | ${r.failed} | ${r.faces} | ${(r.ms / 1000).toFixed(0)} s | ${((1000 * r.photos) / r.ms).toFixed(2)} | ` +
        `${Math.round(r.peakRssMiB)} MiB | ${hours(50_000)} h |`,
      '',
      `The 50 000-photo figure is this run's time per photo × 50 000: the same mix of sizes and faces on the same ` +
        `machine under the same load (see the load average above; the machine is shared, so it is an upper bound of what ` +
        `an idle one does). Peak RSS is the indexing process's maxrss, worker threads included.`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
