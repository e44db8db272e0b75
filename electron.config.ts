/**
 * The one build config of the desktop app: the JavaScript bundles (esbuild) and the installers
 * (electron-builder: AppImage + deb on Linux, NSIS on Windows, dmg on macOS).
 *   node --import tsx electron.config.ts --bundle   bundles into dist/app (part of `npm run build`)
 *   node --import tsx electron.config.ts --dist     installers into release/ (`npm run dist`, after a build)
 * Native modules and onnxruntime's binaries are per platform, so each platform builds its own installer
 * (the CI matrix in .github/workflows/release.yml).
 *
 * [Note: packaged layout] The packaged app runs compiled JavaScript only: the main process, the preload,
 * the engine's utility process, the worker threads and the CLI are esbuild bundles in dist/app, all in
 * one folder because the engine finds its workers next to itself (new URL('./vision-worker.js',
 * import.meta.url)) and the catalog its migrations (dist/app/migrations). Pure-JavaScript dependencies
 * are bundled in; native modules (better-sqlite3, sharp/libvips, onnxruntime, usearch) and TensorFlow.js
 * (whose WebAssembly backend reads its .wasm files from its package) stay external, load from
 * node_modules, and are unpacked next to app.asar, since a shared library cannot be loaded from inside
 * the archive. Neither tsx nor esbuild ships. The face models and their manifest are extra resources
 * (process.resourcesPath), where main/app/main.ts points VISAGE_RESOURCES. Development (`npm start`,
 * `npx visage`, the tests) runs the same sources through tsx instead.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import type { Configuration } from 'electron-builder';

const root = import.meta.dirname;

/** Where the bundles go, relative to the repository (and to app.asar's root when packaged). */
export const BUNDLE_DIR = 'dist/app';

/** Every program the app runs, by bundle name: dist/app/<name>.js. */
export const bundleEntries = {
  main: 'main/app/main.ts',
  'engine-process': 'main/app/engine-process.ts',
  'vision-worker': 'main/engine/vision/vision-worker.ts',
  'train-worker': 'main/engine/head/train-worker.ts',
  'cluster-worker': 'main/engine/people/cluster-worker.ts',
  cli: 'main/cli/run.ts',
} as const;

/** Loaded from node_modules at run time, never bundled (see [Note: packaged layout]). */
export const externalPackages = [
  'electron',
  'better-sqlite3',
  'onnxruntime-node',
  'sharp',
  'usearch',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  // ws's optional native speed-ups, tried in a try/catch.
  'bufferutil',
  'utf-8-validate',
  // Only to build a missing UI in development (visage serve); a build always has it.
  'vite',
];

const GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients.js';

/**
 * main/engine/head/train/tf-gradients.ts loads tfjs-core's gradient modules through tsx's require (they are
 * extension-less ES modules Node cannot load). In a bundle esbuild resolves them instead: tsx/cjs/api
 * becomes a module whose require() hands out that one file, bundled and initialised on first call.
 */
function staticGradients(): Plugin {
  const gradientsFile = createRequire(import.meta.url).resolve(GRADIENTS);
  return {
    name: 'visage-static-gradients',
    setup(build) {
      build.onResolve({ filter: /^tsx\/cjs\/api$/ }, () => ({ path: 'tsx-require', namespace: 'visage' }));
      build.onResolve({ filter: /register_all_gradients\.js$/ }, () => ({ path: gradientsFile }));
      build.onLoad({ filter: /.*/, namespace: 'visage' }, () => ({
        resolveDir: root,
        contents: `function load(id) {
          if (id !== ${JSON.stringify(GRADIENTS)}) throw new Error('Not bundled: ' + id);
          return require(${JSON.stringify(GRADIENTS)});
        }
        export { load as require };`,
      }));
    },
  };
}

// An ES module bundle has no require(); bundled CommonJS dependencies (ws, exifr) need one.
const requireShim =
  "import { createRequire as __visageCreateRequire } from 'node:module';\n" +
  'const require = __visageCreateRequire(import.meta.url);';

export function bundleOptions(outdir = path.join(root, BUNDLE_DIR)): BuildOptions[] {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    outdir,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    absWorkingDir: root,
  };
  return [
    {
      ...common,
      entryPoints: Object.fromEntries(
        Object.entries(bundleEntries).map(([name, file]) => [name, path.join(root, file)]),
      ),
      format: 'esm',
      splitting: true,
      // Chunks beside the entries: code in a chunk finds the workers and migrations relative to itself.
      chunkNames: 'chunk-[hash]',
      external: externalPackages,
      banner: { js: requireShim },
      plugins: [staticGradients()],
    },
    {
      ...common,
      // A sandboxed preload must be one CommonJS file that requires only 'electron'.
      entryPoints: { preload: path.join(root, 'main/app/preload.cjs') },
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      external: ['electron'],
    },
  ];
}

/** Builds every bundle into `outdir` (emptied first) and copies the catalog's migrations beside them. */
export async function buildBundles(outdir = path.join(root, BUNDLE_DIR)): Promise<void> {
  const { build } = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  for (const options of bundleOptions(outdir)) await build(options);
  cpSync(path.join(root, 'main/engine/catalog/migrations'), path.join(outdir, 'migrations'), {
    recursive: true,
  });
}

/** onnxruntime-node ships every platform's binaries; each build keeps only its own OS and arch. */
const ORT_BIN = 'node_modules/onnxruntime-node/bin/napi-v6';
const ortOnly = (os: 'linux' | 'win32' | 'darwin'): string[] => [
  ...(['linux', 'win32', 'darwin'] as const).filter((o) => o !== os).map((o) => `!${ORT_BIN}/${o}/**`),
  // ${arch} is electron-builder's target arch (x64, arm64), which is also onnxruntime's folder name.
  `!${ORT_BIN}/${os}/!(\${arch})/**`,
];

/** Loaded with dlopen (or, for TensorFlow.js's .wasm files, read), so real files outside app.asar. */
export const nativeModules = [
  'node_modules/better-sqlite3/**',
  'node_modules/usearch/**',
  'node_modules/sharp/**',
  'node_modules/@img/**',
  'node_modules/onnxruntime-node/**',
];

/**
 * What the app ships from the repo; electron-builder adds node_modules' production dependencies, less
 * the development toolchain that the bundles made unnecessary.
 */
export const appFiles = [
  'package.json',
  `${BUNDLE_DIR}/**/*`,
  'renderer/dist/**/*',
  '!node_modules/{tsx,esbuild,@esbuild,get-tsconfig,resolve-pkg-maps}/**',
  '!**/*.map',
  '!**/*.d.ts',
  '!**/*_test.js',
  '!**/{test,tests,__tests__,docs,example,examples}/**',
  '!**/*.{md,markdown}',
];

/**
 * A platform's `files` is a pattern group of its own; one that started with a negation would get
 * electron-builder's implicit "**\/*" in front and ship the whole repo, so each repeats the app's files.
 */
const platformFiles = (os: 'linux' | 'win32' | 'darwin'): string[] => [...appFiles, ...ortOnly(os)];

export const config: Configuration = {
  appId: 'app.visage.desktop',
  productName: 'Visage',
  copyright: 'Copyright © Visage contributors',
  directories: { output: 'release', buildResources: 'resources/build' },
  // package.json has no "main" (it is a CLI package too); the app's entry is the main-process bundle.
  extraMetadata: { main: `${BUNDLE_DIR}/main.js` },
  files: appFiles,
  asar: true,
  asarUnpack: nativeModules,
  extraResources: [{ from: 'resources', to: '.', filter: ['models.json', 'models/*.onnx'] }],
  // Rebuilds native modules against Electron's ABI (better-sqlite3; sharp and onnxruntime use N-API).
  npmRebuild: true,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Graphics',
    executableName: 'visage',
    files: platformFiles('linux'),
  },
  deb: { packageCategory: 'graphics' },
  win: { target: ['nsis'], files: platformFiles('win32') },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true, perMachine: false },
  mac: { target: ['dmg'], category: 'public.app-category.photography', files: platformFiles('darwin') },
};

if (process.argv.includes('--bundle')) {
  await buildBundles();
  console.error(`Bundles built in ${BUNDLE_DIR}/`);
}
if (process.argv.includes('--dist')) {
  const { build } = await import('electron-builder');
  const dir = process.argv.includes('--dir');
  await build({ config, publish: 'never', ...(dir ? { dir: true } : {}) });
}
