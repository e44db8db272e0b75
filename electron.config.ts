/**
 * The one build config of the desktop app (electron-builder): AppImage + deb on Linux, NSIS on Windows, dmg
 * on macOS. `npm run dist` builds the renderer (vite, renderer/vite.config.ts) and then runs this file with
 * --dist on the platform being targeted (native modules and onnxruntime's binaries are per platform, so
 * each platform is built on itself, e.g. a CI matrix).
 *
 * [Note: packaged layout] The main process and the engine run the TypeScript sources through tsx, exactly
 * like the CLI, so there is no second compile of main/: main/** ships as is inside app.asar. Native modules
 * (better-sqlite3, sharp/libvips, onnxruntime) and esbuild's binary (tsx's compiler, which must be spawned)
 * are unpacked next to the archive, since a shared library or an executable cannot be loaded from inside
 * it. The face models and their manifest are extra resources (process.resourcesPath), where
 * main/app/main.ts points VISAGE_RESOURCES. Only the target platform's onnxruntime binaries are kept.
 */
import type { Configuration } from 'electron-builder';

/** onnxruntime-node ships every platform's binaries; each build keeps only its own OS and arch. */
const ORT_BIN = 'node_modules/onnxruntime-node/bin/napi-v6';
const ortOnly = (os: 'linux' | 'win32' | 'darwin'): string[] => [
  ...(['linux', 'win32', 'darwin'] as const).filter((o) => o !== os).map((o) => `!${ORT_BIN}/${o}/**`),
  // ${arch} is electron-builder's target arch (x64, arm64), which is also onnxruntime's folder name.
  `!${ORT_BIN}/${os}/!(\${arch})/**`,
];

/** Loaded with dlopen or spawned, so they must be real files outside app.asar. */
export const nativeModules = [
  'node_modules/better-sqlite3/**',
  'node_modules/usearch/**',
  'node_modules/sharp/**',
  'node_modules/@img/**',
  'node_modules/onnxruntime-node/**',
  'node_modules/@esbuild/**',
];

/** What the app ships from the repo (node_modules' production dependencies are added by electron-builder). */
export const appFiles = [
  'package.json',
  'main/**/*',
  'renderer/dist/**/*',
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
  directories: { output: 'dist', buildResources: 'resources/build' },
  // package.json has no "main" (it is a CLI package too); the app's entry is the tsx bootstrap.
  extraMetadata: { main: 'main/app/electron-main.mjs' },
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

if (process.argv.includes('--dist')) {
  const { build } = await import('electron-builder');
  const dir = process.argv.includes('--dir');
  await build({ config, publish: 'never', ...(dir ? { dir: true } : {}) });
}
