/**
 * Finding and fetching the Electron binary (main/app/electron-binary.mjs), on a stand-in electron package
 * in a temporary folder: a stand-in installer that fails like a closed network, one that hangs, and one
 * that installs, so the progress line, the time limit and the reasons are checked without Electron.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import * as electron from '../../main/app/electron-binary.mjs';
import { tempDir } from '../support/temp';

function fakePackage(t: TestContext): string {
  const dir = tempDir(t, 'visage-electron-');
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'electron', version: '45.5.0', engines: { node: '>= 22.12.0' } }),
  );
  return dir;
}

const installsBinary = `const fs = require('fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/electron', '');
fs.writeFileSync('path.txt', 'electron');`;

test('a package without a downloaded binary is "missing", with the fix', (t) => {
  const dir = fakePackage(t);
  const found = electron.findElectron({ dir, env: {} });
  assert.ok('missing' in found);
  assert.match(found.reason, /Electron binary is not downloaded/);
  assert.match(found.fix, /npx install-electron/);
  assert.ok('missing' in electron.findElectron({ dir: null, env: {} }));
  writeFileSync(path.join(dir, 'path.txt'), 'electron');
  assert.ok('missing' in electron.findElectron({ dir, env: {} }), 'path.txt alone is not a binary');
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'electron'), '');
  assert.deepEqual(electron.findElectron({ dir, env: {} }), { binary: path.join(dir, 'dist', 'electron') });
});

test('no display on Linux is a reason; macOS and Windows always have one', () => {
  assert.match(electron.displayProblem({}, 'linux')!.reason, /no display/);
  assert.equal(electron.displayProblem({ DISPLAY: ':0' }, 'linux'), null);
  assert.equal(electron.displayProblem({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), null);
  assert.equal(electron.displayProblem({}, 'darwin'), null);
  assert.equal(electron.displayProblem({}, 'win32'), null);
});

test("a failed download says why (the installer's own error, not its stack) and how to fix it", async (t) => {
  const dir = fakePackage(t);
  const installer = path.join(dir, 'install.js');
  writeFileSync(
    installer,
    "console.error('TypeError: fetch failed\\n    at node:internal/deps/undici:1:1'); process.exit(1);",
  );
  const lines: string[] = [];
  const r = await electron.fetchElectron({ dir, installer, timeoutMs: 30_000, log: (l) => lines.push(l) });
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.match(r.reason, /could not download the binary \(TypeError: fetch failed\)/);
  assert.match(r.fix, /npx install-electron/);
  assert.match(lines[0]!, /fetching Electron 45\.5\.0 .* at most 30 s/);
});

test('a download past the time limit is stopped and reported as such', async (t) => {
  const dir = fakePackage(t);
  const installer = path.join(dir, 'install.js');
  writeFileSync(installer, 'setTimeout(() => {}, 60_000);');
  const lines: string[] = [];
  const started = Date.now();
  const r = await electron.fetchElectron({
    dir,
    installer,
    timeoutMs: 1500,
    tickMs: 400,
    log: (l) => lines.push(l),
  });
  assert.ok(Date.now() - started < 10_000, 'the installer was stopped');
  assert.ok(!r.ok);
  assert.match(r.reason, /did not finish within 2 s/);
  assert.ok(
    lines.some((l) => /fetching Electron… \d+ s/.test(l)),
    `a progress line while it runs: ${lines.join(' | ')}`,
  );
});

test('a successful install is checked: the binary must be there afterwards', async (t) => {
  const dir = fakePackage(t);
  const installer = path.join(dir, 'install.js');
  writeFileSync(installer, installsBinary);
  const r = await electron.fetchElectron({
    dir,
    installer,
    timeoutMs: 30_000,
    env: {},
    log: () => undefined,
  });
  assert.deepEqual(r, { ok: true });
  assert.ok('binary' in electron.findElectron({ dir, env: {} }));

  const empty = fakePackage(t);
  writeFileSync(path.join(empty, 'install.js'), 'process.exit(0);');
  const none = await electron.fetchElectron({
    dir: empty,
    installer: path.join(empty, 'install.js'),
    timeoutMs: 30_000,
    env: {},
    log: () => undefined,
  });
  assert.ok(!none.ok);
  assert.match(none.reason, /left no binary/);
});

test('installer errors and Node version notes read as plain words', () => {
  assert.equal(
    electron.installerError('Error: getaddrinfo ENOTFOUND github.com\n    at GetAddrInfoReqWrap (x)\n'),
    'Error: getaddrinfo ENOTFOUND github.com',
  );
  assert.equal(
    electron.nodeVersionNote('20.20.2', '22.12.0'),
    ' (electron declares Node >= 22.12.0; this is Node 20.20.2)',
  );
  assert.equal(electron.nodeVersionNote('22.12.0', '22.12.0'), '');
  assert.equal(electron.nodeVersionNote('24.1.0', '22.12.0'), '');
});
