// `npm start`: the desktop app from the sources. Electron needs its binary, which `npm install` does not
// fetch (electron 45 leaves that to its installer, and allowScripts keeps install scripts off), so a
// missing binary is fetched here with electron's own installer (electron-binary.mjs), with a progress
// line and a time limit. Where that fails, or where there is no display, this says exactly why and how
// to fix it, and serves the same UI to a browser instead (web mode), printing the address.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { displayProblem, fetchElectron, findElectron } from './electron-binary.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The binary, fetched if need be, or why the desktop app cannot start. */
async function desktop() {
  let found = findElectron();
  if ('missing' in found && found.reason.startsWith('the Electron binary')) {
    const seconds = Number(process.env.VISAGE_ELECTRON_FETCH_TIMEOUT ?? 300);
    const fetched = await fetchElectron({ timeoutMs: seconds * 1000 });
    found = fetched.ok ? findElectron() : { missing: true, reason: fetched.reason, fix: fetched.fix };
  }
  if ('missing' in found) return found;
  return displayProblem() ?? found;
}

register();
const found = await desktop();
if ('binary' in found) {
  const { rendererBuilt } = await import('../host/static-files.ts');
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
  console.error(`To get the desktop app: ${found.fix}.`);
  console.error('Starting web mode instead: open the address below in a browser.');
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(['serve', ...process.argv.slice(2)]);
}
