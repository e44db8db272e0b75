/**
 * The whole user flow in Chromium against web mode, on a real library: add folder → indexing completes →
 * name two people → merge/undo → review queue confirms → train and see the verdict → search by dropping an
 * image finds that person → restart keeps everything. Screenshots of every view go to test-results/;
 * axe-core must find no serious violations; the page must log no errors (CSP violations included).
 * Steps run in order; once one fails the rest fail too (never skip), naming the step that broke.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  buildLibrary,
  buildRenderer,
  heldOutPhoto,
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
  let browser: Browser | undefined;
  let server: ServeProcess;
  let page: Page;
  let consoleWatch: { problems: string[] } = { problems: [] };
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

  /** Calls the contract from the page (same cookie and origin checks as the UI's own calls). */
  async function call<T>(name: string, params: object = {}): Promise<T> {
    return page.evaluate(
      async ({ name, params }) => {
        const res = await fetch(`/api/${name}`, { method: 'POST', body: JSON.stringify(params) });
        if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
        return (await res.json()) as unknown;
      },
      { name, params },
    ) as Promise<T>;
  }

  /** The unnamed group whose faces are mostly photos of `person` (the library has one folder per person). */
  async function groupOf(person: string): Promise<{ id: number; faceIds: number[] }> {
    const groups = await call<{ id: number; faceIds: number[] }[]>('people.groups');
    const faces = await call<{ items: { id: number; photoPath: string }[] }>('library.faces', {
      limit: 10000,
    });
    const folder = new Map(faces.items.map((f) => [f.id, path.basename(path.dirname(f.photoPath))]));
    const group = groups.find(
      (g) => g.faceIds.filter((id) => folder.get(id) === person).length > g.faceIds.length / 2,
    );
    assert.ok(group, `no unnamed group of ${person}; groups: ${JSON.stringify(groups)}`);
    return group;
  }

  async function nameGroup(person: string, name: string): Promise<void> {
    const group = await groupOf(person);
    const card = page.locator('article.group', {
      has: page.locator(`img[src="/img/face/${group.faceIds[0]}"]`),
    });
    await card.getByRole('combobox').fill(name);
    await card.getByRole('button', { name: 'Name' }).click();
    await page.getByRole('list', { name: 'Named people' }).getByRole('article', { name }).waitFor();
  }

  function personCard(name: string) {
    return page.getByRole('list', { name: 'Named people' }).getByRole('article', { name, exact: true });
  }

  before(async () => {
    photoCount = buildLibrary(libraryDir, PHOTOS_PER_PERSON).length;
    browser = await launchBrowser();
    await buildRenderer();
    server = await startServe(home);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    consoleWatch = watchConsole(page);
  });

  after(async () => {
    await browser?.close();
    // Unset when before() failed (e.g. no Chromium); that failure is the one to report.
    await (server as ServeProcess | undefined)?.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(libraryDir, { recursive: true, force: true });
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

  step('name two people', async () => {
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByRole('heading', { name: 'Unnamed groups' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '05-people-unnamed');
    await a11y('people');
    await nameGroup('Colin_Powell', 'Colin Powell');
    await nameGroup('Gerhard_Schroeder', 'Gerhard Schroeder');
    await personCard('Colin Powell').getByText(`${PHOTOS_PER_PERSON} faces`).waitFor();
    await screenshot(page, '06-people-named');
  });

  step('merge two people, then undo', async () => {
    await personCard('Colin Powell').getByRole('checkbox').check();
    await personCard('Gerhard Schroeder').getByRole('checkbox').check();
    const bar = page.getByRole('region', { name: 'Merge' });
    await bar.waitFor();
    await screenshot(page, '07-merge-ask');
    await bar.getByRole('button', { name: 'Merge', exact: true }).click();
    await personCard('Colin Powell')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    const names = async () =>
      (await call<{ name: string; faces: number }[]>('people.list')).map((p) => `${p.name}:${p.faces}`);
    assert.equal((await names()).length, 1, 'one person after the merge');
    await screenshot(page, '08-merged');
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).first().click();
    await personCard('Colin Powell').waitFor();
    await personCard('Gerhard Schroeder').waitFor();
    assert.deepEqual((await names()).sort(), [
      `Colin Powell:${PHOTOS_PER_PERSON}`,
      `Gerhard Schroeder:${PHOTOS_PER_PERSON}`,
    ]);
  });

  step('name a face in the viewer; the review queue confirms the rest', async () => {
    const group = await groupOf('Ariel_Sharon');
    const faces = await call<{ items: { id: number; photoId: number }[] }>('library.faces', { limit: 10000 });
    const face = faces.items.find((f) => f.id === group.faceIds[0])!;
    await page.goto(`${server.origin}/#/library/${face.photoId}`);
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor();
    await page.locator('button.face').first().click();
    const panel = page.getByRole('complementary', { name: 'Selected face' });
    await panel.getByLabel('Who is this?').fill('Ariel Sharon');
    await panel.getByRole('button', { name: 'Name' }).click();
    await panel.getByText('Confirmed by you').waitFor();
    await screenshot(page, '09-viewer-named');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { name: 'Is this Ariel Sharon?' }).waitFor({ timeout: 15_000 });
    await screenshot(page, '13-review');
    await a11y('review');
    const waiting = (await call<unknown[]>('people.suggestions')).length;
    assert.ok(waiting >= 3, `expected suggestions for Ariel Sharon, got ${waiting}`);
    await page.keyboard.press('y');
    await page.keyboard.press('s');
    await page.keyboard.press('y');
    const sure = page.getByRole('button', { name: /Confirm (all \d+ sure ones|the 1 sure one)/ });
    if (await sure.isVisible()) await sure.click();
    while (await page.getByRole('heading', { name: 'Is this Ariel Sharon?' }).isVisible()) {
      await page.keyboard.press('y');
      await page.waitForTimeout(100);
    }
    await page.getByText('Nothing to review').waitFor();
    await page.waitForTimeout(2000);
    const ariel = (await call<{ name: string; faces: number }[]>('people.list')).find(
      (p) => p.name === 'Ariel Sharon',
    );
    assert.equal(ariel?.faces, PHOTOS_PER_PERSON, 'every face of Ariel Sharon confirmed');
  });

  step('person page shows confirmed faces', async () => {
    await page.getByRole('link', { name: 'People' }).click();
    await personCard('Ariel Sharon').getByRole('link').click();
    await page.getByRole('heading', { name: 'Ariel Sharon', level: 1 }).waitFor();
    await page.getByRole('heading', { name: `${PHOTOS_PER_PERSON} confirmed faces` }).waitFor();
    await screenshot(page, '14-person');
    await a11y('the person page');
  });

  step('train (WASM/CPU) and see the verdict', async () => {
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByRole('heading', { name: 'Training', level: 1 }).waitFor();
    await screenshot(page, '22-training-before');
    await page.getByRole('button', { name: 'Train on my people' }).click();
    await page.getByRole('heading', { name: 'Training…' }).waitFor();
    await page.getByRole('progressbar', { name: 'Training progress' }).waitFor();
    await page.waitForTimeout(1500);
    await screenshot(page, '23-training-running');
    const verdict = page.locator('p.verdict');
    await verdict.waitFor({ timeout: 240_000 });
    const text = await verdict.innerText();
    assert.match(text, /(now in use|Kept the plain comparison|Not enough confirmed faces)/, text);
    const backend = await page.locator('.backend strong').innerText();
    assert.match(backend, /CPU \((WebAssembly|JavaScript|native)\)/, `backend shown: ${backend}`);
    const heads = await call<{ backend: string; accepted: boolean; active: boolean }[]>('head.list');
    assert.equal(heads.length, 1);
    assert.equal(heads[0]!.active, heads[0]!.accepted, 'active exactly when the guard accepted it');
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    await page.waitForTimeout(300);
    await screenshot(page, '24-training-verdict');
    await a11y('training');
  });

  step('search by dropping an image finds that person', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    const query = heldOutPhoto('Colin_Powell', PHOTOS_PER_PERSON);
    const bytes = readFileSync(query).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ({ b64, name }) => {
        const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bin], name, { type: 'image/jpeg' }));
        return dt;
      },
      { b64: bytes, name: path.basename(query) },
    );
    await page.dispatchEvent('button.drop', 'drop', { dataTransfer });
    await page.getByRole('heading', { name: /photos? found/ }).waitFor({ timeout: 30_000 });
    const first = page
      .getByRole('listitem')
      .filter({ has: page.locator('a.result') })
      .first();
    await first.getByText('Colin Powell').waitFor();
    await screenshot(page, '15-search');
    await a11y('search');
  });

  step('mark a missed face by drawing a box, then remove it with "Not a face"', async () => {
    const photos = await call<{ items: { id: number; faces: number }[] }>('library.photos', { limit: 50 });
    const photo = photos.items[0]!;
    await page.goto(`${server.origin}/#/library/${photo.id}`);
    const dialog = page.getByRole('dialog', { name: 'Photo viewer' });
    await dialog.waitFor();
    await page.locator('button.face').first().waitFor();
    const before = await page.locator('button.face').count();
    await dialog.getByRole('button', { name: 'Mark a missed face' }).click();
    const layer = page.getByRole('application', { name: /Drag a box/ });
    const box = (await layer.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.05);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.35, { steps: 5 });
    await page.mouse.up();
    await page.getByRole('complementary', { name: 'Selected face' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('button.face').count(), before + 1, 'the drawn face was added');
    await screenshot(page, '25-viewer-drawn-face');
    await page
      .getByRole('complementary', { name: 'Selected face' })
      .getByRole('button', { name: 'Not a face' })
      .click();
    await page.waitForFunction((n) => document.querySelectorAll('button.face').length === n, before);
    await page.getByRole('complementary', { name: 'Selected face' }).waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  step('keyboard: the grid moves with arrows, Enter opens, Esc closes', async () => {
    await page.getByRole('link', { name: 'Library' }).click();
    const grid = page.getByRole('region', { name: 'Photos, newest first' });
    await grid.getByRole('button').first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-index'));
    const cols = await grid.evaluate((el) => {
      const xs = Array.from(el.querySelectorAll('[role=listitem]')).map((n) => n.getBoundingClientRect().top);
      return xs.filter((x) => x === xs[0]).length;
    });
    assert.equal(Number(focused), 1 + cols, 'right then down');
    await screenshot(page, '16-grid-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Photo viewer' }).waitFor({ state: 'detached' });
  });

  step('dark theme: every view readable (axe contrast included)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [view, name] of [
      ['Library', '17-dark-library'],
      ['People', '18-dark-people'],
      ['Review', '19-dark-review'],
      ['Search', '19b-dark-search'],
    ] as const) {
      await page.getByRole('link', { name: view }).click();
      await page.getByRole('heading', { name: view, level: 1 }).waitFor();
      await page.waitForTimeout(300);
      await screenshot(page, name);
      await a11y(`${view} in dark`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  step('settings show folders, theme and language', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Library folders' }).waitFor();
    await page.getByText(libraryDir).waitFor();
    await page.getByLabel('How alike faces must be to be grouped').waitFor();
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
    const people = (await call<{ name: string; faces: number }[]>('people.list')).map(
      (p) => `${p.name}:${p.faces}`,
    );
    assert.deepEqual(people.sort(), [
      `Ariel Sharon:${PHOTOS_PER_PERSON}`,
      `Colin Powell:${PHOTOS_PER_PERSON}`,
      `Gerhard Schroeder:${PHOTOS_PER_PERSON}`,
    ]);
    await page.getByRole('link', { name: 'People' }).click();
    await personCard('Ariel Sharon').waitFor();
    await screenshot(page, '21-people-after-restart');
  });
});
