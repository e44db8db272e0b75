// Finds the Electron binary and, when it is missing, fetches it with electron's own installer
// (node_modules/electron/install.js: @electron/get, checksums from the electron package). Electron 45
// no longer downloads at `npm install` (and allowScripts keeps install scripts off), so `npm start` and
// the test runner come here. Plain JavaScript: start.mjs and test/run.mjs load it before any TypeScript.
// Everything is injectable (package folder, environment, installer) so tests drive it without Electron.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Where the electron package is installed, or null when it is not. */
export function electronPackageDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The Electron binary, or why there is none. Read from the electron package's files (path.txt, dist/)
 * rather than by require('electron'), which throws when the binary is missing.
 * @param {{ dir?: string | null, env?: NodeJS.ProcessEnv }} [o]
 * @returns {{ binary: string } | { missing: true, reason: string, fix: string }}
 */
export function findElectron(o = {}) {
  const dir = o.dir === undefined ? electronPackageDir() : o.dir;
  const env = o.env ?? process.env;
  if (!dir) {
    return { missing: true, reason: 'the electron package is not installed', fix: 'run "npm install"' };
  }
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const binary = relative
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), relative)
    : '';
  if (!binary || !existsSync(binary)) {
    return {
      missing: true,
      reason: 'the Electron binary is not downloaded (npm install does not fetch it)',
      fix: 'run "npx install-electron" where the network allows, then "npm start"',
    };
  }
  return { binary };
}

/**
 * Why no window can open here, or null. Linux needs an X11 or Wayland display; macOS and Windows always
 * have one for a logged-in user.
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return {
    reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    fix: 'run it in a desktop session, or under a virtual display: xvfb-run npm start',
  };
}

/** A hint when this Node is older than what electron declares (its installer may need it). */
export function nodeVersionNote(version = process.versions.node, declared = '22.12.0') {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = declared.split('.').map(Number);
  return a < c || (a === c && b < d)
    ? ` (electron declares Node >= ${declared}; this is Node ${version})`
    : '';
}

/** The most telling line of the installer's output: its error message, without the stack. */
export function installerError(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/^Downloading .*\[/.test(l));
  return (
    lines.find((l) => /error|failed|ENOTFOUND|ECONN|EAI_AGAIN|ETIMEDOUT|status/i.test(l)) ??
    lines.at(-1) ??
    ''
  );
}

/**
 * Runs electron's installer with a progress line and a time limit. Resolves to { ok: true } once the
 * binary is in place, else { ok: false, reason, fix } in words a user can act on.
 * @param {{
 *   dir?: string | null, installer?: string, timeoutMs?: number, env?: NodeJS.ProcessEnv,
 *   log?: (line: string) => void, tickMs?: number,
 * }} [o]
 * @returns {Promise<{ ok: true } | { ok: false, reason: string, fix: string }>}
 */
export function fetchElectron(o = {}) {
  const dir = o.dir === undefined ? electronPackageDir() : o.dir;
  const log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
  const timeoutMs = o.timeoutMs ?? 300_000;
  const fix =
    'check the network (a proxy needs HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1; a mirror ELECTRON_MIRROR), then run "npx install-electron" or "npm start" again';
  if (!dir)
    return Promise.resolve({
      ok: false,
      reason: 'the electron package is not installed',
      fix: 'run "npm install"',
    });
  const installer = o.installer ?? path.join(dir, 'install.js');
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const version = pkg.version;
  const declaredNode = String(pkg.engines?.node ?? '0.0.0').replace(/[^\d.]/g, '');
  log(
    `Visage: fetching Electron ${version} for ${process.platform}-${process.arch} with electron's installer ` +
      `(about 100 MB, at most ${Math.round(timeoutMs / 1000)} s)…`,
  );
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [installer], {
      cwd: dir,
      env: o.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (d) => {
      output += d.toString();
      if (output.length > 20_000) output = output.slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const tick = setInterval(() => {
      log(`Visage: fetching Electron… ${Math.round((Date.now() - started) / 1000)} s`);
    }, o.tickMs ?? 10_000);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutMs);
    const finish = (result) => {
      clearInterval(tick);
      clearTimeout(timer);
      resolve(result);
    };
    child.on('error', (err) => {
      finish({ ok: false, reason: `electron's installer could not run (${err.message})`, fix });
    });
    child.on('exit', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (timedOut) {
        finish({
          ok: false,
          reason: `the Electron download did not finish within ${Math.round(timeoutMs / 1000)} s`,
          fix,
        });
      } else if (code !== 0) {
        const why = installerError(output) || `exit code ${code}`;
        const reason = `electron's installer could not download the binary (${why})${nodeVersionNote(process.versions.node, declaredNode)}`;
        finish({ ok: false, reason, fix });
      } else if ('binary' in findElectron({ dir, env: o.env })) {
        log(`Visage: Electron ${version} is installed (${seconds} s).`);
        finish({ ok: true });
      } else {
        finish({ ok: false, reason: "electron's installer finished but left no binary", fix });
      }
    });
  });
}
