// `npm start`: the desktop app when Electron can run here, otherwise web mode. Electron needs its binary
// (downloaded by electron's install step, which some machines cannot do) and, on Linux, a display; when
// either is missing this says which and serves the same UI to a browser instead, printing the address.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Why Electron cannot start here, or its binary. Read from the electron package's files rather than by
 * require('electron'), which would try to download the binary (and hang where the network is closed).
 */
function electronProblem() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (npm install)' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist');
  const binary = relative ? path.join(distDir, relative) : null;
  if (!binary || !existsSync(binary)) {
    return {
      reason:
        'the Electron binary was never downloaded (its install step is disabled in allowScripts or the download was blocked; run "npx install-electron" where the network allows)',
    };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { binary };
}

register();
const found = electronProblem();
if (found.binary) {
  const { rendererBuilt } = await import('../server/static-files.ts');
  if (!rendererBuilt()) {
    console.error('Building the UI (vite build)…');
    const { build } = await import('vite');
    await build({ configFile: path.join(here, '../../renderer/vite.config.ts'), logLevel: 'warn' });
  }
  const child = spawn(found.binary, [path.join(here, 'electron-main.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
} else {
  console.error(`Visage: the desktop app cannot start because ${found.reason}.`);
  console.error('Starting web mode instead: open the address below in a browser.');
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(['serve', ...process.argv.slice(2)]);
}
