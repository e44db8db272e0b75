/**
 * `npm run bench`: runs every benchmark section and writes BENCHMARKS.md with the machine, the date and
 * each section's measured figures. Sections run one after another (they would disturb each other's
 * timings). `npm run bench -- engine search` runs only the named sections and keeps the others' text.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths';

interface Section {
  id: string;
  title: string;
  run: () => Promise<string>;
}

const sections: Section[] = [
  { id: 'engine', title: 'Face engine', run: async () => (await import('./engine')).runEngineBench() },
  {
    id: 'library',
    title: 'First run: a generated library',
    run: async () => (await import('./engine-library')).runLibraryBench(),
  },
  { id: 'head', title: 'ArcFace head', run: async () => (await import('./head')).runHeadBench() },
  { id: 'people', title: 'Grouping', run: async () => (await import('./people')).runPeopleBench() },
  {
    id: 'trust',
    title: 'Recognition a user can trust',
    run: async () => (await import('./trust')).runTrustBench(),
  },
  { id: 'search', title: 'Search index', run: async () => (await import('./search')).runSearchBench() },
  {
    id: 'scale',
    title: 'Visage at 250 000 faces',
    run: async () => (await import('./scale')).runScaleBench(),
  },
  {
    id: 'ui',
    title: 'Library grid and edits at 100 000 photos',
    // Two figures, one after the other: the grid while scrolling, then edit → views updated during a re-group.
    run: async () => {
      const grid = await (await import('./ui-grid')).runUiGridBench();
      const edits = await (await import('./ui-edits')).runUiEditsBench();
      return `${grid}\n\n### Edit → views updated while a full re-group runs\n\n${edits}`;
    },
  },
];

const file = path.join(repoRoot, 'BENCHMARKS.md');
const START = (id: string) => `<!-- section:${id} -->`;
const END = (id: string) => `<!-- /section:${id} -->`;

function previous(id: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START(id));
  const b = text.indexOf(END(id));
  return a >= 0 && b > a ? text.slice(a + START(id).length, b).trim() : null;
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const parts: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` — every figure below was measured by that command on the machine named in its',
    'section; nothing here is typed by hand. Medians of repeated runs unless a section says otherwise.',
    '',
  ];
  let failed = false;
  for (const s of sections) {
    let body: string;
    if (only.length && !only.includes(s.id)) {
      body = previous(s.id) ?? '_not run yet_';
    } else {
      const started = Date.now();
      const loadBefore = os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ');
      console.error(`bench: ${s.id} …`);
      try {
        const text = await s.run();
        const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
        body =
          `_Run ${new Date().toISOString()} on ${machine()}; took ${Math.round((Date.now() - started) / 1000)} s; ` +
          `load average (1/5/15 min) ${loadBefore} at start, ${load(os.loadavg())} at end._\n\n${text.trim()}`;
      } catch (err) {
        failed = true;
        body = `**This section failed:** ${err instanceof Error ? err.message : String(err)}`;
        console.error(err);
      }
    }
    // A kept section's text already starts with its heading.
    const heading = body.startsWith(`## ${s.title}`) ? [] : [`## ${s.title}`, ''];
    parts.push(START(s.id), ...heading, body, END(s.id), '');
  }
  writeFileSync(file, parts.join('\n'));
  console.error(`bench: wrote ${file}`);
  if (failed) process.exitCode = 1;
}

await main();
