/**
 * The desktop window's security settings, asserted from the options object main.ts passes to
 * BrowserWindow (importable without Electron), plus the navigation allow-list, the remembered window state
 * and the menu's shortcuts. See [Note: secure renderer].
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../main/app/menu';
import { APP_URL, isAppUrl, secureWebPreferences, windowOptions } from '../../main/app/window-options';
import { loadWindowState, saveWindowState } from '../../main/app/window-state';
import { contentSecurityPolicy } from '../../main/host/security-headers';

describe('desktop window security', () => {
  it('sandboxes the renderer, isolates the preload and gives the page no Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(prefs.preload, '/app/preload.cjs');
  });

  it('the window uses exactly those settings', () => {
    const options = windowOptions({ width: 1000, height: 700 }, '/p.cjs', true);
    assert.deepEqual(options.webPreferences, secureWebPreferences('/p.cjs'));
    assert.equal(options.show, false, 'shown on ready-to-show: no white flash');
  });

  it('only visage://app pages may load in the window', () => {
    assert.equal(isAppUrl(APP_URL), true);
    assert.equal(isAppUrl('visage://app/index.html#/people/3'), true);
    for (const url of [
      'https://example.com',
      'http://127.0.0.1:7420/',
      'file:///etc/passwd',
      'visage://other/x',
      'javascript:alert(1)',
      'not a url',
    ]) {
      assert.equal(isAppUrl(url), false, url);
    }
  });

  it('the protocol CSP allows only our own code', () => {
    const csp = contentSecurityPolicy();
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe|https?:|\*/);
  });

  it('remembers window bounds and drops a position that is off every screen', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-win-'));
    const file = path.join(dir, 'window-state.json');
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    assert.deepEqual(loadWindowState(file, screens), { width: 1280, height: 820, maximized: false });
    saveWindowState(file, { x: 100, y: 50, width: 1000, height: 700, maximized: true });
    assert.deepEqual(loadWindowState(file, screens), {
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
      maximized: true,
    });
    saveWindowState(file, { x: 4000, y: 50, width: 1000, height: 700, maximized: false });
    assert.deepEqual(loadWindowState(file, screens), { width: 1000, height: 700, maximized: false });
    writeFileSync(file, '{ broken');
    assert.equal(loadWindowState(file, screens).width, 1280);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the menu has shortcuts for every view and for adding a folder, sent as app.command', () => {
    const sent: unknown[] = [];
    const template = menuTemplate(
      (c) => sent.push(c),
      'linux',
      false,
      () => undefined,
    );
    const items = template.flatMap<MenuItemConstructorOptions>((m) =>
      Array.isArray(m.submenu) ? m.submenu : [],
    );
    const accelerators = items.map((i) => i.accelerator).filter(Boolean);
    for (const key of [
      'CmdOrCtrl+O',
      'CmdOrCtrl+1',
      'CmdOrCtrl+2',
      'CmdOrCtrl+3',
      'CmdOrCtrl+4',
      'CmdOrCtrl+5',
      'CmdOrCtrl+,',
    ]) {
      assert.ok(accelerators.includes(key), key);
    }
    const people = items.find((i) => i.accelerator === 'CmdOrCtrl+2');
    (people?.click as () => void)();
    assert.deepEqual(sent, [{ command: 'navigate', view: 'people' }]);
    assert.ok(!items.some((i) => i.role === 'toggleDevTools'), 'no devtools in a packaged app');
  });
});
