/**
 * The build output runs on its own: everything the packaged app runs but the Electron binary. The
 * bundles (`npm run build`'s esbuild step, electron.config.ts) are built into a temporary folder laid out
 * like app.asar (package.json, dist/app, renderer/dist, node_modules), with the models in a folder laid
 * out like electron-builder's extra resources. Its node_modules holds only the packages the bundles must
 * load from outside (electron.config.ts externalPackages), so a bundle that still needed tsx, esbuild or
 * any source file under main/ fails here. Then, from that folder: the CLI's status, indexing one shared
 * photo (vision worker bundle, models from the extra resources), web mode answering the API and serving
 * the UI, and the head worker bundle training (tfjs gradients resolved at build time, not through tsx).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { BUNDLE_DIR, buildBundles, config, externalPackages } from '../../electron.config';
import { defaultLoss } from '../../main/engine/head/train/losses';
import { defaultTrainSettings } from '../../main/engine/head/train/train-settings';
import type { WorkerEvent, WorkerRequest } from '../../main/engine/head/worker-protocol';
import { face, repoRoot } from '../support/paths';

const root = mkdtempSync(path.join(os.tmpdir(), 'visage-bundle-'));
const app = path.join(root, 'app');
const resources = path.join(root, 'resources');
const home = path.join(root, 'home');
const cli = path.join(app, BUNDLE_DIR, 'cli.js');

/** Links one package of the repo's node_modules (and, for a scope, only that package) into the app. */
function linkPackage(name: string): void {
  const from = path.join(repoRoot, 'node_modules', name);
  if (!existsSync(from)) return; // an optional package that is not installed (tfjs-node)
  const to = path.join(app, 'node_modules', name);
  mkdirSync(path.dirname(to), { recursive: true });
  symlinkSync(from, to, 'dir');
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(args: string[], timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, VISAGE_HOME: home, VISAGE_RESOURCES: resources, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`visage ${args.join(' ')} timed out\n${err}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('the bundled app, run from its build output', { timeout: 600_000 }, () => {
  before(async () => {
    if (!existsSync(path.join(repoRoot, 'renderer', 'dist', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: path.join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
    }
    mkdirSync(app);
    cpSync(path.join(repoRoot, 'package.json'), path.join(app, 'package.json'));
    await buildBundles(path.join(app, BUNDLE_DIR));
    mkdirSync(path.join(app, 'renderer'));
    symlinkSync(path.join(repoRoot, 'renderer', 'dist'), path.join(app, 'renderer', 'dist'), 'dir');
    for (const name of externalPackages) linkPackage(name);
    // The extra resources, copied as electron-builder's filter says.
    const [extra] = config.extraResources as [{ from: string; filter: string[] }];
    assert.deepEqual(extra.filter, ['models.json', 'models/*.onnx']);
    mkdirSync(path.join(resources, 'models'), { recursive: true });
    cpSync(path.join(repoRoot, extra.from, 'models.json'), path.join(resources, 'models.json'));
    for (const f of readdirSync(path.join(repoRoot, extra.from, 'models')).filter((f) => f.endsWith('.onnx')))
      cpSync(path.join(repoRoot, extra.from, 'models', f), path.join(resources, 'models', f));
  });

  process.on('exit', () => {
    rmSync(root, { recursive: true, force: true });
  });

  it('has no development toolchain left: no tsx, no esbuild, no TypeScript source', () => {
    const dir = path.join(app, BUNDLE_DIR);
    for (const f of readdirSync(dir).filter((f) => /\.c?js$/.test(f))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      assert.doesNotMatch(text, /from\s*["'](tsx|esbuild)[/"']|require\(["'](tsx|esbuild)[/"']/, f);
      assert.doesNotMatch(text, /(import\(|new URL\()\s*["'`][^"'`]*\.ts["'`]/, `${f} loads a .ts module`);
    }
    assert.ok(existsSync(path.join(dir, 'migrations', '001-initial.sql')));
    assert.ok(!existsSync(path.join(app, 'node_modules', 'tsx')));
  });

  it('runs the CLI: `node dist/app/cli.js status`', async () => {
    const r = await run(['status', '--json']);
    assert.equal(r.code, 0, r.err);
    const status = JSON.parse(r.out) as { photos: { total: number }; models: { role: string }[] };
    assert.equal(status.photos.total, 0);
    assert.deepEqual(status.models.map((m) => m.role).sort(), ['detector', 'embedder', 'landmarks']);
  });

  it('indexes a shared photo with the models from the extra resources', async () => {
    const photos = path.join(root, 'photos');
    mkdirSync(photos);
    cpSync(face('face_recognition', 'examples', 'two_people.jpg'), path.join(photos, 'two.jpg'));
    const r = await run(['index', photos]);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    const faces = await run(['faces', '--json']);
    assert.equal(faces.code, 0, faces.err);
    const lines = faces.out.trim().split('\n').filter(Boolean);
    assert.equal(lines.length, 2, 'both faces of two_people.jpg');
    // The app folder has no resources/: the models can only have come from the extra resources.
    const status = JSON.parse((await run(['status', '--json'])).out) as { photos: { done: number } };
    assert.equal(status.photos.done, 1);
    // A full re-group runs in the bundled grouping worker (dist/app/cluster-worker.js).
    const grouped = await run(['cluster', '--full']);
    assert.equal(grouped.code, 0, `${grouped.out}\n${grouped.err}`);
  });

  it('serves web mode: the API answers with the token, the UI is served', async (t) => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
      cwd: root,
      env: { ...process.env, VISAGE_HOME: home, VISAGE_RESOURCES: resources, NODE_OPTIONS: '' },
    });
    t.after(() => child.kill());
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        reject(new Error(`no address printed\n${err}`));
      }, 60_000);
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const address = new URL(url);
    const token = address.searchParams.get('token')!;
    const api = (name: string) =>
      fetch(`${address.origin}/api/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
    const info = (await (await api('app.info')).json()) as { shell: string; version: string };
    assert.equal(info.shell, 'web');
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(info.version, pkg.version);
    const status = (await (await api('library.status')).json()) as { faces: number };
    assert.equal(status.faces, 2);
    assert.equal((await fetch(`${address.origin}/api/app.info`, { method: 'POST', body: '{}' })).status, 401);
    const page = await fetch(`${address.origin}/index.html`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module"/);
  });

  it('trains in the head worker bundle (gradients bundled, no tsx)', async () => {
    // Four made-up people: ten noisy copies of one random direction each, in the 512-d embedding space.
    const dim = 512;
    const people = 4;
    const per = 10;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const centres = Array.from({ length: people }, () => Float32Array.from({ length: dim }, rand));
    const x = new Float32Array(people * per * dim);
    const y = new Int32Array(people * per);
    for (let i = 0; i < people * per; i++) {
      const c = i % people;
      y[i] = c;
      for (let d = 0; d < dim; d++) x[i * dim + d] = centres[c]![d]! + 0.3 * rand();
    }
    const empty = { data: new Float32Array(0), rows: 0, cols: dim };
    const request: WorkerRequest = {
      type: 'train',
      data: {
        dim,
        classes: [1, 2, 3, 4],
        x: { data: x, rows: people * per, cols: dim },
        y,
        negatives: { x: empty, cls: new Int32Array(0) },
        cannotLink: { a: empty, b: empty },
        unlabelled: empty,
      },
      settings: { ...defaultTrainSettings(defaultLoss('arcface')), epochs: 3 },
      episodes: 1,
      targetPrecision: 0.9,
      backend: 'cpu',
    };
    // As in the app: the engine process (and so its workers) knows where the extra resources are.
    const worker = new Worker(path.join(app, BUNDLE_DIR, 'train-worker.js'), {
      env: { ...process.env, VISAGE_RESOURCES: resources },
    });
    const result = await new Promise<WorkerEvent>((resolve, reject) => {
      worker.on('message', (e: WorkerEvent) => {
        if (e.type === 'trained' || e.type === 'failed') resolve(e);
      });
      worker.on('error', reject);
      worker.postMessage(request);
    }).finally(() => void worker.terminate());
    assert.equal(result.type, 'trained', JSON.stringify(result).slice(0, 500));
  });
});
