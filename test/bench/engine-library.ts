/**
 * The "first run" section of BENCHMARKS.md (issue 10): a generated library of VISAGE_BENCH_LIBRARY
 * photos (default 2 000; a smaller number is the reduced run) of mixed sizes (1–24 MP) with 0–8 faces
 * each (engine-library-photos.ts, cached under test-results/ by seed VISAGE_BENCH_LIBRARY_SEED), indexed
 * by the real engine (catalog, scan, default vision worker pool) in a child process, for its wall time
 * and peak memory. The extrapolation to 50 000 photos is linear in photos of the same mix; a real
 * library's mix of sizes and faces moves it.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../support/paths';
import { libraryPhotos, SIZES } from './engine-library-photos';

const CHILD = fileURLToPath(new URL('./engine-library-child.ts', import.meta.url));

export interface LibraryResult {
  photos: number;
  indexed: number;
  failed: number;
  faces: number;
  ms: number;
  peakRssMiB: number;
  workers: number;
}

export async function runLibraryBench(): Promise<string> {
  const count = Number(process.env.VISAGE_BENCH_LIBRARY ?? 2000);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`VISAGE_BENCH_LIBRARY must be a positive integer, not ${count}`);
  const seed = Number(process.env.VISAGE_BENCH_LIBRARY_SEED ?? 11);
  const dir = path.join(repoRoot, 'test-results', 'bench-library', `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    const photos = path.join(dir, 'photos');
    console.error(`bench library: ${count} photos (seed ${seed}), generating what the cache lacks …`);
    const lib = await libraryPhotos(count, seed, photos);
    const pasted = lib.faces;
    const genS = Math.round(lib.ms / 1000);
    console.error(`bench library: ${lib.generated} generated in ${genS} s; indexing …`);
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
        `${lib.generated} of them generated in ${genS} s, the rest from the cache; not timed) indexed by the engine (scan, catalog, default pool of ${r.workers} workers) in a child process.`,
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
