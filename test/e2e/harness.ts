/**
 * End-to-end harness: a real `visage serve` on a temporary VISAGE_HOME, a small real library copied at run
 * time from ../shared/data/faces (never into the repo), and Debian's Chromium driven by playwright-core.
 * A missing Chromium or face set is a failure with the fix in the message, never a skip.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = path.join(repoRoot, 'test-results');

export function facesDir(): string {
  const dir = process.env.VISAGE_FACES ?? path.resolve(repoRoot, '../shared/data/faces');
  if (!existsSync(dir)) throw new Error(`Face photo sets not found at ${dir}; set VISAGE_FACES.`);
  return dir;
}

export function chromiumPath(): string {
  const exe = process.env.VISAGE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(exe)) {
    throw new Error(
      `Chromium not found at ${exe}. Install it (apt-get install -y chromium) or set VISAGE_CHROMIUM.`,
    );
  }
  return exe;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Builds the renderer from the current sources, so the browser never tests a stale renderer/dist. */
export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** The people of the e2e library: the first `perPerson` LFW photos of each. */
export const LIBRARY_PEOPLE = ['Colin_Powell', 'Gerhard_Schroeder', 'Ariel_Sharon', 'Arnold_Schwarzenegger'];

/** Copies a small real library into `dir`: LFW photos of LIBRARY_PEOPLE, one folder each. */
export function buildLibrary(dir: string, perPerson = 8): string[] {
  const lfw = path.join(facesDir(), 'lfw_dev');
  const copied: string[] = [];
  for (const person of LIBRARY_PEOPLE) {
    const files = readdirSync(path.join(lfw, person)).sort().slice(0, perPerson);
    mkdirSync(path.join(dir, person), { recursive: true });
    for (const f of files) {
      copyFileSync(path.join(lfw, person, f), path.join(dir, person, f));
      copied.push(path.join(dir, person, f));
    }
  }
  return copied;
}

/** A photo of `person` that is not in the library (for search by image). */
export function heldOutPhoto(person: string, perPerson = 8): string {
  const dir = path.join(facesDir(), 'lfw_dev', person);
  const file = readdirSync(dir).sort()[perPerson + 1];
  if (!file) throw new Error(`${person} has too few photos for a held-out query`);
  return path.join(dir, file);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `visage-e2e-${prefix}-`));
}

export interface ServeProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `visage serve --port N` (0: any free port) with VISAGE_HOME=home and waits for the printed address. */
export async function startServe(home: string, port = 0, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'main/cli/bin.mjs'), 'serve', '--port', String(port)],
    {
      cwd: repoRoot,
      env: { ...process.env, VISAGE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`visage serve printed no address within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`visage serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const requireFromHere = createRequire(import.meta.url);

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const source = readFileSync(requireFromHere.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the DevTools protocol, which the page's CSP does not govern (no inline script needed).
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          opts: object,
        ) => Promise<{
          violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
        }>;
      };
    };
    const res = await w.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}

/** Collects console errors and CSP violations so a test can assert there were none. */
export function watchConsole(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return { problems };
}

/** Calls the contract from the page (same cookie and origin checks as the UI's own calls). */
export async function callFromPage<T>(page: Page, name: string, params: object = {}): Promise<T> {
  return page.evaluate(
    async ({ name, params }) => {
      const res = await fetch(`/api/${name}`, { method: 'POST', body: JSON.stringify(params) });
      if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
      return (await res.json()) as unknown;
    },
    { name, params },
  ) as Promise<T>;
}

/**
 * Polls an async condition evaluated in the page until it holds. page.waitForFunction takes only sync
 * predicates: an async one returns a Promise, which counts as true at once (microsoft/playwright#29132).
 */
export async function until<A>(
  page: Page,
  condition: (arg: A) => Promise<boolean>,
  arg: A,
  { timeout = 60_000, polling = 500, what = 'condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(condition as (a: unknown) => Promise<boolean>, arg as unknown)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, polling));
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: false });
}

/**
 * `it` for steps that run in order: once one fails, every later step fails naming it (never skips, never
 * misleads with follow-on errors), after `onFailure` has recorded what it can (server output, a screenshot).
 */
export function orderedSteps(
  timeout: number,
  onFailure: (name: string) => Promise<void>,
): (name: string, fn: () => Promise<void>) => void {
  let broken: string | null = null;
  return (name, fn) => {
    it(name, { timeout }, async () => {
      if (broken) assert.fail(`not run: the earlier step "${broken}" failed`);
      try {
        await fn();
      } catch (err) {
        broken = name;
        await onFailure(name);
        throw err;
      }
    });
  };
}

/** Drops a file on the search drop zone, as a user dragging it from their file manager. */
export async function dropOnSearch(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], name, { type }));
      return dt;
    },
    { b64: bytes.toString('base64'), name, type },
  );
  await page.dispatchEvent('button.drop', 'drop', { dataTransfer });
}
