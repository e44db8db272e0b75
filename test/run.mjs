// Runs every test layer with node's test runner: unit, integration, golden, fault (kill -9, concurrent
// writers, web fuzz, bad input), e2e (or the layers named on the command line). Nothing is skipped silently: a missing prerequisite fails the run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayProblem, findElectron } from '../main/app/electron-binary.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));
const named = process.argv.slice(2);
// The Electron e2e (test/electron) runs where an Electron binary and a display exist; elsewhere the
// summary says it did not run and why, so a run without it never reads as a full pass.
const electron = named.length === 0 || named.includes('electron');
const layers = (named.length ? named : ['unit', 'integration', 'golden', 'fault', 'e2e']).filter(
  (l) => l !== 'electron',
);

function testFiles(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(testFiles(p));
    else if (e.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const found = findElectron();
const electronSkip = 'missing' in found ? 'no binary' : displayProblem() ? 'no display' : null;
if (electron && !electronSkip) layers.push('electron');
function reportElectron() {
  if (!electron || !electronSkip) return;
  console.log(`electron e2e: not run (${electronSkip})`);
  console.log(`  ${'missing' in found ? `${found.reason}; ${found.fix}` : displayProblem().fix}`);
}
const files = layers.flatMap((l) => testFiles(path.join(root, l)));
if (files.length === 0) {
  console.error(`No test files found for layers: ${layers.join(', ')}`);
  reportElectron();
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env: { ...process.env, VISAGE_TEST: '1' } },
);
reportElectron();
process.exit(res.status ?? 1);
