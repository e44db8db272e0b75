/**
 * Child of engine-library.ts: indexes one folder with the real engine and prints one JSON line
 * (LibraryResult), so the peak RSS measured is the indexing process's own.
 */
import { openEngine } from '../../main/engine/engine';
import type { LibraryResult } from './engine-library';

const [folder, dbPath] = process.argv.slice(2);
if (!folder || !dbPath) throw new Error('usage: engine-library-child.ts FOLDER DB');
const engine = openEngine({ dbPath });
try {
  const start = performance.now();
  await engine.api['library.addFolder']({ path: folder, index: false });
  const summary = await engine.api['library.rescan']({ wait: true });
  const ms = performance.now() - start;
  const status = await engine.api['library.status']({});
  const result: LibraryResult = {
    photos: status.photos.total,
    indexed: status.photos.done,
    failed: status.photos.failed,
    faces: status.faces,
    ms,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    workers: status.vision.workers,
  };
  if (summary.state !== 'done') throw new Error(`indexing ended ${summary.state}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await engine.close();
}
