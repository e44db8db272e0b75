/**
 * The packaging config (electron.config.ts), tested by packaging for real: electron-builder builds the
 * unpacked Linux app (--dir) from this repo into a temporary folder, with a stand-in Electron distribution
 * because the real binary cannot be downloaded here and npmRebuild off for the same reason (rebuilding
 * needs Electron's headers). Then the result is inspected: the compiled bundles and nothing of the repo's
 * TypeScript sources, tests, UI sources or development toolchain (tsx, esbuild), the models as extra
 * resources, every native module unpacked, and only this platform's onnxruntime binaries.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUNDLE_DIR, buildBundles, bundleEntries, config, nativeModules } from '../../electron.config';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(archive: string): string[];
  extractFile(archive: string, file: string): Buffer;
};

/** Production dependencies (transitively) that contain a compiled .node module. */
function nativeProductionDeps(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const seen = new Set<string>();
  const queue = Object.keys(pkg.dependencies);
  const out: string[] = [];
  const hasNode = (dir: string, depth = 0): boolean =>
    depth < 6 &&
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory()
        ? e.name !== 'node_modules' && hasNode(path.join(dir, e.name), depth + 1)
        : e.name.endsWith('.node'),
    );
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const dir = path.join(repoRoot, 'node_modules', name);
    if (!existsSync(dir)) continue; // an optional dependency for another platform
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    queue.push(...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {}));
    if (hasNode(dir)) out.push(name);
  }
  return out.sort();
}

describe('packaging (electron.config.ts)', { timeout: 300_000 }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'visage-pack-'));
  const fakeElectron = path.join(out, 'electron-dist');
  const appDir = path.join(out, 'linux-unpacked');
  const archive = path.join(appDir, 'resources', 'app.asar');
  let files: string[] = [];

  before(async () => {
    if (!existsSync(path.join(repoRoot, 'renderer', 'dist', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: path.join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
    }
    await buildBundles();
    mkdirSync(fakeElectron);
    writeFileSync(path.join(fakeElectron, 'electron'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(fakeElectron, 'electron'), 0o755);
    writeFileSync(path.join(fakeElectron, 'version'), 'v45.5.0');
    const { build, Platform, Arch } = await import('electron-builder');
    await build({
      projectDir: repoRoot,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      config: {
        ...config,
        electronDist: fakeElectron,
        npmRebuild: false,
        directories: { ...config.directories, output: out },
      },
    });
    files = asar.listPackage(archive);
  });

  after(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('declares AppImage + deb, NSIS and dmg targets', () => {
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.deepEqual(config.win?.target, ['nsis']);
    assert.deepEqual(config.mac?.target, ['dmg']);
    assert.equal(config.npmRebuild, true, 'native modules are rebuilt for Electron in real builds');
  });

  it('packs the compiled app: every bundle, the preload, migrations, built UI; the entry is main.js', () => {
    for (const f of [
      '/package.json',
      ...Object.keys(bundleEntries).map((name) => `/${BUNDLE_DIR}/${name}.js`),
      `/${BUNDLE_DIR}/preload.cjs`,
      `/${BUNDLE_DIR}/migrations/001-initial.sql`,
      '/renderer/dist/index.html',
      '/node_modules/@tensorflow/tfjs-core/package.json',
    ]) {
      assert.ok(files.includes(f), `${f} missing from app.asar`);
    }
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as { main: string };
    assert.equal(pkg.main, `${BUNDLE_DIR}/main.js`);
  });

  it('ships no TypeScript source and no development toolchain (tsx, esbuild)', () => {
    const bad = files.filter(
      (f) =>
        f.startsWith('/main/') ||
        /^\/node_modules\/(tsx|esbuild|@esbuild)\//.test(f) ||
        (f.endsWith('.ts') && !f.startsWith('/node_modules/')),
    );
    assert.deepEqual(bad.slice(0, 10), []);
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked', 'node_modules');
    assert.ok(!existsSync(path.join(unpacked, '@esbuild')), 'esbuild binary unpacked');
  });

  it('leaves out tests, UI sources, dev tools and source maps', () => {
    const bad = files.filter(
      (f) =>
        f.startsWith('/test/') ||
        f.startsWith('/renderer/src') ||
        /^\/node_modules\/(electron|electron-builder|vite|svelte|playwright-core|typescript|eslint)\//.test(
          f,
        ) ||
        f.endsWith('.map'),
    );
    assert.deepEqual(bad.slice(0, 10), []);
  });

  it('ships the models and their manifest as extra resources, with the manifest hashes', () => {
    const manifest = JSON.parse(readFileSync(path.join(appDir, 'resources', 'models.json'), 'utf8')) as {
      models: { file: string; sha256: string }[];
    };
    for (const m of manifest.models) {
      const file = path.join(appDir, 'resources', 'models', m.file);
      assert.ok(existsSync(file), `${m.file} missing`);
      assert.equal(createHash('sha256').update(readFileSync(file)).digest('hex'), m.sha256, m.file);
    }
  });

  it('unpacks every production dependency that has a native module', () => {
    const native = nativeProductionDeps();
    assert.ok(native.includes('better-sqlite3') && native.includes('onnxruntime-node'), native.join(', '));
    const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked', 'node_modules');
    for (const name of native) {
      assert.ok(existsSync(path.join(unpacked, name)), `${name} is native but not unpacked`);
      assert.ok(
        nativeModules.some((p) => p.startsWith(`node_modules/${name.split('/')[0]}/`)),
        `${name} missing from nativeModules in electron.config.ts`,
      );
    }
  });

  it("keeps only this platform's onnxruntime binaries", () => {
    const bin = path.join(
      appDir,
      'resources',
      'app.asar.unpacked',
      'node_modules',
      'onnxruntime-node',
      'bin',
      'napi-v6',
    );
    assert.deepEqual(readdirSync(bin), ['linux']);
    assert.deepEqual(readdirSync(path.join(bin, 'linux')), ['x64']);
    assert.ok(readdirSync(path.join(bin, 'linux', 'x64')).includes('onnxruntime_binding.node'));
  });
});
