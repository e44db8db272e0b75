/**
 * Is the library grid smooth at 100 k photos? Builds a real catalog of 100 000 photo rows (the photos are
 * links to a few real images, so thumbnails are real work for the server), serves it with `visage serve`,
 * and scrolls the grid in Chromium: frame times while scrolling (requestAnimationFrame deltas), the number
 * of grid cells in the DOM, and how long the library view takes to show. Run by `npm run bench` as
 * runUiGridBench().
 */
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../main/engine/catalog/database';
import { facesDir, launchBrowser, startServe, tempDir } from '../e2e/harness';

const PHOTOS = 100_000;
const SCROLL_FRAMES = 240;
const SCROLL_STEP_PX = 900;

function seedCatalog(home: string, library: string): void {
  const lfw = path.join(facesDir(), 'lfw_dev', 'Colin_Powell');
  const sources = [
    'Colin_Powell_0001.jpg',
    'Colin_Powell_0002.jpg',
    'Colin_Powell_0003.jpg',
    'Colin_Powell_0004.jpg',
  ];
  mkdirSync(path.join(library, 'src'), { recursive: true });
  for (const s of sources) copyFileSync(path.join(lfw, s), path.join(library, 'src', s));
  const db = openDatabase(path.join(home, 'catalog.db'));
  const now = Date.now();
  const folder = Number(
    db.prepare('INSERT INTO folders (path, added_at, last_scan_at) VALUES (?, ?, ?)').run(library, now, now)
      .lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO photos (folder_id, path, size, mtime_ms, hash, width, height, orientation, taken_at, status, faces_model, indexed_at, created_at)
     VALUES (?, ?, 1, ?, ?, 250, 250, 1, ?, 'done', 'bench', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < PHOTOS; i++) {
      const file = path.join(library, 'links', `${Math.floor(i / 1000)}`, `p${i}.jpg`);
      if (i % 1000 === 0) mkdirSync(path.dirname(file), { recursive: true });
      symlinkSync(path.join(library, 'src', sources[i % sources.length]!), file);
      // One photo an hour going back in time, so the grid spans years of dates.
      insert.run(folder, file, now - i * 3_600_000, `h${i}`, now - i * 3_600_000, now, now);
    }
  })();
  db.close();
}

interface ScrollResult {
  deltas: number[];
  cells: number;
  reached: number;
  height: number;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

export async function runUiGridBench(): Promise<string> {
  const home = tempDir('bench-home');
  const library = tempDir('bench-library');
  const t0 = performance.now();
  seedCatalog(home, library);
  const seedMs = performance.now() - t0;
  console.error(`ui-grid bench: seeded ${PHOTOS} photos in ${(seedMs / 1000).toFixed(1)} s`);
  const server = await startServe(home);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const shown0 = performance.now();
    await page.goto(server.url);
    const grid = page.getByRole('region', { name: 'Photos, newest first' });
    await grid.locator('img').first().waitFor({ timeout: 60_000 });
    const firstPaintMs = performance.now() - shown0;
    // As a string: tsx's compiled closures reference helpers that do not exist in the page.
    const result = await page.evaluate<ScrollResult>(`new Promise((resolve) => {
      const el = document.querySelector('[aria-label="Photos, newest first"]');
      const deltas = [];
      let last = performance.now(), n = 0, cells = 0;
      function tick(t) {
        deltas.push(t - last);
        last = t;
        el.scrollTop += ${SCROLL_STEP_PX};
        cells = Math.max(cells, el.querySelectorAll('[role=listitem]').length);
        if (++n < ${SCROLL_FRAMES}) requestAnimationFrame(tick);
        else resolve({ deltas: deltas.slice(1), cells, reached: el.scrollTop, height: el.scrollHeight });
      }
      requestAnimationFrame(tick);
    })`);
    // Jump to the far end (the scrollbar drag case) and time until its thumbnails show.
    const jump0 = performance.now();
    await grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    // Polled with page.evaluate: waitForFunction with a string would need eval, which our CSP forbids.
    const shown = `Array.from(document.querySelectorAll('[aria-label="Photos, newest first"] img')).some(
      (i) => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().bottom > 0)`;
    while (!(await page.evaluate(shown))) {
      if (performance.now() - jump0 > 60_000)
        throw new Error('no thumbnail shown 60 s after jumping to the end');
      await page.waitForTimeout(20);
    }
    const jumpMs = performance.now() - jump0;
    const d = result.deltas;
    const long = d.filter((x) => x > 50).length;
    return [
      `Catalog of ${PHOTOS.toLocaleString('en')} photos (seeded in ${(seedMs / 1000).toFixed(1)} s), web mode, Chromium ${browser.version()}, 1440×900.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| library view to first thumbnail | ${Math.round(firstPaintMs)} ms |`,
      `| frame time while scrolling ${SCROLL_STEP_PX} px/frame, p50 | ${pct(d, 0.5).toFixed(1)} ms |`,
      `| frame time p95 | ${pct(d, 0.95).toFixed(1)} ms |`,
      `| frame time max | ${Math.max(...d).toFixed(1)} ms |`,
      `| frames over 50 ms | ${long} of ${d.length} |`,
      `| grid cells in the DOM (max) | ${result.cells} |`,
      `| scrolled | ${(result.reached / 1000).toFixed(0)} k of ${(result.height / 1000).toFixed(0)} k px |`,
      `| jump to the end → thumbnails shown | ${Math.round(jumpMs)} ms |`,
    ].join('\n');
  } finally {
    await browser.close();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(library, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  console.log(await runUiGridBench());
}
