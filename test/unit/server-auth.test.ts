/**
 * Web mode's gate, against a real server on a real (temporary) catalog: no token → 401, wrong token → 403,
 * the token moves from the URL into an HttpOnly SameSite=Strict cookie, cross-origin and foreign-Host
 * requests are refused, every reply carries the security headers, and the API maps errors to 400/404.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { openEngine, type Engine } from '../../main/engine/engine';
import { startServer, type RunningServer } from '../../main/server/server';

describe('web mode access control', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-server-'));
  const dist = path.join(dir, 'dist');
  let engine: Engine;
  let server: RunningServer;
  let cookie: string;

  before(async () => {
    mkdirSync(dist);
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Visage</title>');
    engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
    server = await startServer({ api: engine.api, home: dir, port: 0, dist });
    cookie = `visage_token_${server.port}=${server.token}`;
  });

  after(async () => {
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}${p}`, { headers, redirect: 'manual' });
  const post = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('refuses requests without the token (401) and with a wrong one (403)', async () => {
    assert.equal((await get('/')).status, 401);
    assert.equal((await post('library.status', {})).status, 401);
    assert.equal((await get('/img/thumb/1')).status, 401);
    assert.equal((await get('/?token=nope')).status, 403);
    assert.equal(
      (await post('library.status', {}, { Cookie: `visage_token_${server.port}=nope` })).status,
      403,
    );
  });

  it('moves the token from the URL into an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await get(`/?token=${server.token}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, new RegExp(`^visage_token_${server.port}=${server.token};`));
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const page = await get('/', { Cookie: cookie });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Visage<\/title>/);
  });

  it('sends the security headers and a strict CSP on every reply', async () => {
    for (const res of [
      await get('/'),
      await get('/', { Cookie: cookie }),
      await post('library.status', {}, { Cookie: cookie }),
    ]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
  });

  it('refuses other origins and foreign Host headers (DNS rebinding)', async () => {
    const cross = await post('library.status', {}, { Cookie: cookie, Origin: 'http://evil.example' });
    assert.equal(cross.status, 403);
    const fetchSite = await post('library.status', {}, { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(fetchSite.status, 403);
    const same = await post('library.status', {}, { Cookie: cookie, Origin: server.origin });
    assert.equal(same.status, 200);
    // fetch() will not let us forge Host, so speak HTTP directly.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/',
          headers: { Host: `evil.example:${server.port}`, Cookie: cookie },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403);
  });

  it('maps contract errors: bad params 400 with the reason, unknown request 404, GET 405', async () => {
    const bad = await post('library.photos', { offset: -1 }, { Cookie: cookie });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /offset/);
    const user = await post(
      'library.addFolder',
      { path: path.join(dir, 'does-not-exist') },
      { Cookie: cookie },
    );
    assert.equal(user.status, 400);
    assert.match(((await user.json()) as { error: string }).error, /not found/i);
    assert.equal((await post('no.such', {}, { Cookie: cookie })).status, 404);
    assert.equal((await get('/api/library.status', { Cookie: cookie })).status, 405);
    const notJson = await fetch(`${server.origin}/api/library.status`, {
      method: 'POST',
      headers: { Cookie: cookie },
      body: '{',
    });
    assert.equal(notJson.status, 400);
  });

  it('serves the whole contract: a valid call returns the reply', async () => {
    const res = await post('library.status', {}, { Cookie: cookie });
    const status = (await res.json()) as { photos: { total: number } };
    assert.equal(status.photos.total, 0);
  });

  it('guards the event socket like the API and forwards engine events', async () => {
    const url = `ws://127.0.0.1:${server.port}/events`;
    const refused = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => {
          resolve(String(res.statusCode));
        });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', () => undefined);
      });
    assert.equal(await refused({}), '401');
    assert.equal(await refused({ Cookie: `visage_token_${server.port}=nope` }), '403');
    assert.equal(await refused({ Cookie: cookie, Origin: 'http://evil.example' }), '403');

    const ws = new WebSocket(url, { headers: { Cookie: cookie, Origin: server.origin } });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const got = new Promise<unknown>((resolve) => {
      ws.once('message', (data: Buffer) => {
        resolve(JSON.parse(data.toString()));
      });
    });
    const progress = {
      job: 'index' as const,
      phase: 'test',
      state: 'running' as const,
      done: 1,
      total: 2,
      etaMs: null,
      current: null,
      errors: 0,
      message: null,
      say: null,
    };
    engine.hub.emit('jobs.progress', progress);
    assert.deepEqual(await got, { event: 'jobs.progress', payload: progress });
    ws.close();
  });

  /** A raw GET (fetch would normalise dot segments before sending them). */
  async function rawGet(p: string): Promise<{ status: number; body: string }> {
    const { request } = await import('node:http');
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: p, headers: { Cookie: cookie } },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('refuses malformed image addresses and never serves files outside the UI', async () => {
    for (const p of [
      '/img/thumb/../../etc/passwd',
      '/img/thumb/%2e%2e%2fx',
      '/img/thumb/1/..',
      '/img/nope/1',
      '/img/thumb/01',
    ]) {
      const res = await rawGet(p);
      assert.equal(res.status, 400, `${p} → ${res.status}`);
    }
    assert.equal((await rawGet('/img/thumb/999')).status, 404);
    for (const p of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const res = await rawGet(p);
      assert.doesNotMatch(res.body, /root:|"name":/, `${p} leaked a file`);
      assert.match(res.body, /<title>Visage<\/title>/, `${p} falls back to the UI`);
    }
  });
});
