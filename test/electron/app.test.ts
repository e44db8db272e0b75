/**
 * The real desktop app, driven by Playwright's Electron support: the compiled bundles (dist/app/main.js,
 * what the packaged app runs) on the real Electron binary, with a small real library. First screen → add a
 * folder through File → Add Folder and the native dialog (stubbed in the main process: a test cannot click
 * an OS dialog) → indexing completes → a face named → Edit → Undo undoes it → search by a dropped photo
 * finds that person → a second launch hands over to the first → window state and logs are on disk.
 * Screenshots go to test-results/electron-*.png. Without an Electron binary this fails with the reason
 * (`npm test` does not start it then and says so in its summary); it never skips.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { BUNDLE_DIR, buildBundles } from '../../electron.config';
import { findElectron } from '../../main/app/electron-binary.mjs';
import {
  buildLibrary,
  buildRenderer,
  dropOnSearch,
  heldOutPhoto,
  orderedSteps,
  repoRoot,
  resultsDir,
  tempDir,
  until,
} from '../e2e/harness';

const PHOTOS_PER_PERSON = 6;
const mainBundle = path.join(repoRoot, BUNDLE_DIR, 'main.js');

describe('the desktop app (Electron)', { timeout: 900_000 }, () => {
  const home = tempDir('electron-home');
  const libraryDir = tempDir('electron-library');
  let binary = '';
  let app: ElectronApplication | undefined;
  let page: Page;
  let photoCount = 0;
  const step = orderedSteps(300_000, async (name) => {
    await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  async function shot(name: string): Promise<void> {
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, `electron-${name}.png`) });
  }

  /** Calls the contract through window.visage, exactly as the UI does. */
  function call<T>(name: string, params: object = {}): Promise<T> {
    return page.evaluate(
      async ({ name, params }) => {
        // The preload resolves wire results; the UI's client unwraps them (desktop-client.ts).
        type Wire = { ok: true; value: unknown } | { ok: false; error: { message: string } };
        const api = (window as unknown as { visage: Record<string, (p: object) => Promise<Wire>> }).visage;
        const result = await api[name]!(params);
        if (!result.ok) throw new Error(result.error.message);
        return result.value;
      },
      { name, params },
    ) as Promise<T>;
  }

  function clickMenu(id: string): Promise<void> {
    return app!.evaluate(({ Menu }, itemId) => {
      const item = Menu.getApplicationMenu()?.getMenuItemById(itemId);
      if (!item) throw new Error(`no menu item ${itemId}`);
      (item.click as () => void)();
    }, id);
  }

  async function nameColin(): Promise<void> {
    const groups = await call<{ id: number; faceIds: number[] }[]>('people.groups');
    const faces = await call<{ items: { id: number; photoPath: string }[] }>('library.faces', {
      limit: 10000,
    });
    const folder = new Map(faces.items.map((f) => [f.id, path.basename(path.dirname(f.photoPath))]));
    const group = groups.find(
      (g) => g.faceIds.filter((id) => folder.get(id) === 'Colin_Powell').length > g.faceIds.length / 2,
    );
    assert.ok(group, 'an unnamed group of Colin Powell');
    const card = page.locator('article.group', {
      has: page.locator(`img[src="/img/face/${group.faceIds[0]}"]`),
    });
    await card.getByRole('combobox').fill('Colin Powell');
    await card.getByRole('button', { name: 'Name' }).click();
    await page
      .getByRole('list', { name: 'Named people' })
      .getByRole('article', { name: 'Colin Powell' })
      .waitFor();
  }

  const people = async () => (await call<{ name: string }[]>('people.list')).map((p) => p.name);

  before(async () => {
    const found = findElectron();
    if ('missing' in found)
      throw new Error(`electron e2e: not run (no binary): ${found.reason}; ${found.fix}`);
    binary = found.binary;
    photoCount = buildLibrary(libraryDir, PHOTOS_PER_PERSON).length;
    await buildRenderer();
    await buildBundles();
    app = await _electron.launch({
      executablePath: binary,
      args: [mainBundle],
      env: { ...process.env, VISAGE_HOME: home },
      timeout: 120_000,
    });
    page = await app.firstWindow({ timeout: 120_000 });
  });

  after(async () => {
    await app?.close().catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
    rmSync(libraryDir, { recursive: true, force: true });
  });

  step('first screen: the window, the secure bridge, the empty library', async () => {
    await page.getByRole('heading', { name: 'Bring in your photos' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.title(), 'Visage');
    assert.ok(page.url().startsWith('visage://app/'), page.url());
    const info = await call<{ shell: string; canPickFolder: boolean }>('app.info');
    assert.deepEqual([info.shell, info.canPickFolder], ['electron', true]);
    assert.equal(
      await page.evaluate(() => typeof (globalThis as { require?: unknown }).require),
      'undefined',
    );
    await shot('01-first-screen');
  });

  step('add a folder: File → Add Folder, the native dialog, indexing completes', async () => {
    await app!.evaluate(({ dialog }, dir) => {
      dialog.showOpenDialog = () => Promise.resolve({ canceled: false, filePaths: [dir] });
    }, libraryDir);
    await clickMenu('addFolder');
    await page.getByRole('region', { name: 'Photos, newest first' }).waitFor({ timeout: 60_000 });
    await until(
      page,
      async (n) => {
        const api = (window as unknown as { visage: Record<string, (p: object) => Promise<unknown>> }).visage;
        const s = (await api['library.status']!({})) as { photos: { done: number; pending: number } };
        return s.photos.pending === 0 && s.photos.done === n;
      },
      photoCount,
      { timeout: 240_000, polling: 1000, what: 'indexing to finish' },
    );
    await page.locator('img[src^="/img/thumb/"]').first().waitFor();
    await shot('02-library');
  });

  step('name a face, and Edit → Undo takes it back', async () => {
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'Unnamed groups' }).waitFor({ timeout: 30_000 });
    await nameColin();
    assert.deepEqual(await people(), ['Colin Powell']);
    await shot('03-named');
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
    });
    await clickMenu('undo');
    await until(
      page,
      async () => {
        const api = (window as unknown as { visage: Record<string, (p: object) => Promise<unknown>> }).visage;
        return ((await api['people.list']!({})) as unknown[]).length === 0;
      },
      undefined,
      { timeout: 15_000, polling: 250, what: 'the naming to be undone' },
    );
    await nameColin();
  });

  step('search by a dropped photo finds that person', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    const query = heldOutPhoto('Colin_Powell', PHOTOS_PER_PERSON);
    await dropOnSearch(page, readFileSync(query), path.basename(query), 'image/jpeg');
    await page.getByRole('heading', { name: /photos? found/ }).waitFor({ timeout: 60_000 });
    await page
      .getByRole('listitem')
      .filter({ has: page.locator('a.result') })
      .first()
      .getByText('Colin Powell')
      .waitFor();
    await shot('04-search');
  });

  step('a second launch hands over to the first and quits', async () => {
    const second = spawn(binary, [mainBundle], {
      env: { ...process.env, VISAGE_HOME: home },
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        second.kill();
        reject(new Error('the second instance did not quit within 30 s'));
      }, 30_000);
      second.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0);
    assert.equal(app!.windows().length, 1, 'still one window');
  });

  step('closing keeps the window state; logs are written', async () => {
    await app!.close();
    app = undefined;
    const state = JSON.parse(readFileSync(path.join(home, 'desktop', 'window-state.json'), 'utf8')) as {
      width: number;
      height: number;
    };
    assert.ok(state.width >= 720 && state.height >= 480, JSON.stringify(state));
    assert.match(readFileSync(path.join(home, 'logs', 'main.log'), 'utf8'), /Visage .* starting/);
    assert.ok(existsSync(path.join(home, 'logs', 'engine.log')));
  });
});
