// Runs every test layer with node's test runner: unit, integration, golden, fault (kill -9, concurrent
// writers, web fuzz, bad input), e2e (or the layers named on the command line). Nothing is skipped silently: a missing prerequisite fails the run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const layers = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['unit', 'integration', 'golden', 'fault', 'e2e'];

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

const files = layers.flatMap((l) => testFiles(path.join(root, l)));
if (files.length === 0) {
  console.error(`No test files found for layers: ${layers.join(', ')}`);
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env: { ...process.env, VISAGE_TEST: '1' } },
);
process.exit(res.status ?? 1);
