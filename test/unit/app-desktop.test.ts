/**
 * The desktop app's first-run behaviour that does not need Electron: each OS's folders for settings and
 * logs, the log file (timestamps, size limit), Edit → Undo (text field vs Visage's undo, with the page
 * probe run against a stand-in DOM), the menu's File/Edit/View items, and finding the app's root from
 * the sources and from a bundle.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { desktopLocations } from '../../main/app/locations';
import { openLogFile } from '../../main/app/log-file';
import { menuTemplate } from '../../main/app/menu';
import { UNDO_PROBE, undoInPage } from '../../main/app/page-undo';
import { appRoot, findAppRoot } from '../../main/engine/app-root';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/temp';

describe('where the desktop app keeps its files', () => {
  it('follows each OS: XDG on Linux, Library on macOS, roaming settings and local logs on Windows', () => {
    assert.deepEqual(desktopLocations('linux', {}, '/home/ana'), {
      userData: '/home/ana/.config/Visage',
      logs: '/home/ana/.local/state/visage/logs',
    });
    assert.deepEqual(
      desktopLocations('linux', { XDG_CONFIG_HOME: '/c', XDG_STATE_HOME: '/s' }, '/home/ana'),
      {
        userData: '/c/Visage',
        logs: '/s/visage/logs',
      },
    );
    assert.deepEqual(desktopLocations('darwin', {}, '/Users/ana'), {
      userData: '/Users/ana/Library/Application Support/Visage',
      logs: '/Users/ana/Library/Logs/Visage',
    });
    assert.deepEqual(
      desktopLocations(
        'win32',
        { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' },
        'C:\\Users\\ana',
      ),
      {
        userData: 'C:\\Users\\ana\\AppData\\Roaming\\Visage',
        logs: 'C:\\Users\\ana\\AppData\\Local\\Visage\\logs',
      },
    );
  });

  it('VISAGE_HOME keeps everything in one folder', () => {
    assert.deepEqual(desktopLocations('darwin', { VISAGE_HOME: '/tmp/v' }, '/Users/ana'), {
      userData: '/tmp/v/desktop',
      logs: '/tmp/v/logs',
    });
  });
});

describe('log files', () => {
  it('stamps every line and starts afresh (keeping one old file) past the size limit', (t) => {
    const dir = path.join(tempDir(t), 'logs');
    const at = new Date('2026-01-02T03:04:05.000Z');
    const log = openLogFile(dir, 'engine.log', 100, () => at);
    log.write('first\nsecond\n');
    assert.equal(
      readFileSync(log.path, 'utf8'),
      '2026-01-02T03:04:05.000Z first\n2026-01-02T03:04:05.000Z second\n',
    );
    writeFileSync(log.path, 'x'.repeat(200));
    const reopened = openLogFile(dir, 'engine.log', 100, () => at);
    assert.equal(statSync(`${log.path}.1`).size, 200, 'the old file is kept once');
    reopened.write('fresh');
    assert.equal(readFileSync(log.path, 'utf8'), '2026-01-02T03:04:05.000Z fresh\n');
  });
});

/** Runs the page probe against a stand-in document whose focused element is `active`. */
function runProbe(active: { tagName: string; isContentEditable?: boolean } | null) {
  const dispatched: Record<string, unknown>[] = [];
  class KeyboardEvent {
    constructor(
      public type: string,
      public init: { key: string; ctrlKey: boolean },
    ) {}
  }
  const window = {
    dispatchEvent: (e: KeyboardEvent) => dispatched.push({ type: e.type, ...e.init }),
  };
  const document = { activeElement: active };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the probe is page code by design
  const probe = new Function('document', 'window', 'KeyboardEvent', `return ${UNDO_PROBE}`) as (
    ...args: unknown[]
  ) => unknown;
  const result = probe(document, window, KeyboardEvent);
  return { result, dispatched };
}

describe('Edit → Undo', () => {
  it("in a text field it is the field's undo; elsewhere the page's Ctrl+Z (Visage's undo)", () => {
    assert.deepEqual(runProbe({ tagName: 'INPUT' }), { result: 'text', dispatched: [] });
    assert.deepEqual(runProbe({ tagName: 'DIV', isContentEditable: true }).result, 'text');
    const body = runProbe({ tagName: 'BODY' });
    assert.equal(body.result, 'visage');
    assert.deepEqual(body.dispatched, [
      { type: 'keydown', key: 'z', ctrlKey: true, bubbles: true, cancelable: true },
    ]);
    assert.equal(runProbe(null).result, 'visage');
  });

  it('acts on the answer: only a text field gets the native undo', async () => {
    let nativeUndos = 0;
    const target = (answer: string) => ({
      executeJavaScript: (code: string) => {
        assert.equal(code, UNDO_PROBE);
        return Promise.resolve(answer);
      },
      undo: () => {
        nativeUndos++;
      },
    });
    assert.equal(await undoInPage(target('text')), 'text');
    assert.equal(nativeUndos, 1);
    assert.equal(await undoInPage(target('visage')), 'visage');
    assert.equal(nativeUndos, 1);
  });
});

describe('the app menu', () => {
  const items = (template: MenuItemConstructorOptions[], label: string) => {
    const menu = template.find((m) => m.label === label);
    assert.ok(menu && Array.isArray(menu.submenu), `${label} menu`);
    return menu.submenu;
  };

  it('File → Add Folder asks the page to add a folder; Edit → Undo calls the undo it was given', () => {
    const sent: unknown[] = [];
    let undos = 0;
    const template = menuTemplate(
      (c) => sent.push(c),
      'win32',
      false,
      () => undos++,
    );
    const add = items(template, '&File').find((i) => i.id === 'addFolder');
    (add?.click as () => void)();
    assert.deepEqual(sent, [{ command: 'addFolder' }]);
    const edit = items(template, '&Edit');
    const undo = edit.find((i) => i.id === 'undo');
    assert.ok(undo);
    assert.equal(undo.accelerator, 'CmdOrCtrl+Z');
    (undo.click as () => void)();
    assert.equal(undos, 1);
    assert.ok(edit.some((i) => i.role === 'redo') && edit.some((i) => i.role === 'paste'));
    const zoom = items(template, '&View').map((i) => i.role);
    for (const role of ['resetZoom', 'zoomIn', 'zoomOut'] as const) assert.ok(zoom.includes(role), role);
  });

  it('has the macOS app menu only on macOS', () => {
    const roles = (p: NodeJS.Platform) =>
      menuTemplate(
        () => undefined,
        p,
        false,
        () => undefined,
      ).map((m) => m.role);
    assert.ok(roles('darwin').includes('appMenu'));
    assert.ok(!roles('linux').includes('appMenu'));
  });
});

describe("the app's root folder", () => {
  it('is found from the sources and from a bundle folder alike', (t) => {
    assert.equal(appRoot(), repoRoot);
    const app = tempDir(t);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'visage' }));
    mkdirSync(path.join(app, 'dist', 'app'), { recursive: true });
    assert.equal(findAppRoot(path.join(app, 'dist', 'app')), app);
    const other = tempDir(t);
    writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'not-visage' }));
    assert.throws(() => findAppRoot(other), /package.json was not found/);
  });
});
