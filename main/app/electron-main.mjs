// Electron's entry (package "main" when packaged, the argument `npm start` passes to electron): TypeScript
// runs through tsx, as in the CLI, so the app and the CLI execute the same sources. See
// [Note: packaged layout] in electron.config.ts.
import { app } from 'electron';
import path from 'node:path';
import { register } from 'tsx/esm/api';

if (app.isPackaged) {
  // tsx compiles with esbuild, a spawned executable: use the copy unpacked next to app.asar. The engine's
  // utility process and workers inherit this.
  const exe = process.platform === 'win32' ? 'esbuild.exe' : path.join('bin', 'esbuild');
  process.env.ESBUILD_BINARY_PATH ??= path.join(
    process.resourcesPath,
    'app.asar.unpacked',
    'node_modules',
    '@esbuild',
    `${process.platform}-${process.arch}`,
    exe,
  );
}
register();
await import('./main.ts');
