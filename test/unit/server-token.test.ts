/**
 * The web-mode token is stable per catalog and owner-only: the same catalog gets the same token after a
 * restart, another catalog gets another, --rotate-token replaces it, a too-open file is tightened to 0600;
 * a browser with a wrong token gets a page that says what to do (in Korean for a Korean browser), and an
 * error's message key reaches the client.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openEngine } from '../../main/engine/engine';
import { startServer } from '../../main/server/server';
import { catalogToken, tokenFile } from '../../main/server/token-store';

describe('web-mode token per catalog', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-token-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const a = path.join(dir, 'a.db');
  const b = path.join(dir, 'b.db');

  it('is kept across restarts, differs per catalog, and rotates on request', () => {
    const first = catalogToken(a);
    assert.equal(first.created, true);
    const again = catalogToken(a);
    assert.deepEqual(again, { token: first.token, created: false });
    assert.notEqual(catalogToken(b).token, first.token, 'another catalog, another token');
    const rotated = catalogToken(a, true);
    assert.notEqual(rotated.token, first.token);
    assert.equal(catalogToken(a).token, rotated.token, 'the rotated token is the one kept');
    assert.equal(readFileSync(tokenFile(a), 'utf8').trim(), rotated.token);
  });

  it('is readable by its owner only', { skip: process.platform === 'win32' }, () => {
    assert.equal(statSync(tokenFile(a)).mode & 0o777, 0o600);
    chmodSync(tokenFile(a), 0o644);
    catalogToken(a);
    assert.equal(statSync(tokenFile(a)).mode & 0o777, 0o600, 'a too-open file is tightened');
  });

  it('a wrong token gets a page saying what to do; errors carry their message key', async () => {
    const dist = path.join(dir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Visage</title>');
    const engine = openEngine({ dbPath: a });
    const server = await startServer({
      api: engine.api,
      home: dir,
      port: 0,
      dist,
      token: catalogToken(a).token,
    });
    try {
      const page = await fetch(`${server.origin}/?token=old`, { headers: { Accept: 'text/html' } });
      assert.equal(page.status, 403);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const html = await page.text();
      assert.match(html, /visage serve/);
      assert.match(html, /--rotate-token/);
      const ko = await fetch(`${server.origin}/`, {
        headers: { Accept: 'text/html', 'Accept-Language': 'ko-KR,ko;q=0.9' },
      });
      assert.equal(ko.status, 401);
      assert.match(await ko.text(), /주소/);
      const res = await fetch(`${server.origin}/api/people.rename`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ person: 'Nobody', name: 'X' }),
      });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { say: { key: string; params: Record<string, unknown> } | null };
      assert.deepEqual(body.say, { key: 'err.noPerson', params: { name: 'Nobody' } });
    } finally {
      await server.close();
      await engine.close();
    }
  });
});
