/**
 * [Note: no client stops the server] Hostile WebSocket and HTTP clients against a real web-mode server:
 * an oversized frame, invalid UTF-8, a reset upgrade, a truncated body. Each costs that client its
 * connection; the server keeps answering.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { openEngine } from '../../main/engine/engine';
import { startServer } from '../../main/server/server';
import { tempDir } from '../support/temp';

async function serve(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const dist = path.join(dir, 'dist');
  mkdirSync(dist);
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Visage</title>');
  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  const server = await startServer({ api: engine.api, home: dir, port: 0, dist });
  t.after(async () => {
    await server.close();
    await engine.close();
  });
  const headers = { Cookie: `visage_token_${server.port}=${server.token}`, Origin: server.origin };
  const alive = async () => {
    const res = await fetch(`${server.origin}/api/library.status`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: '{}',
    });
    return res.status;
  };
  return { server, headers, alive };
}

/** Opens /events, sends one frame, and waits until the server closes the connection. */
function sendAndWaitClose(
  url: string,
  headers: Record<string, string>,
  data: Buffer | string,
  binary: boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.send(data, { binary });
    });
    ws.on('close', (code) => {
      resolve(code);
    });
    ws.on('error', () => undefined);
    setTimeout(() => {
      reject(new Error('the server did not close the connection'));
    }, 10_000).unref();
  });
}

test('an oversized frame or invalid UTF-8 on /events closes that socket, not the server', async (t) => {
  const { server, headers, alive } = await serve(t);
  const url = `ws://127.0.0.1:${server.port}/events`;
  assert.equal(await sendAndWaitClose(url, headers, 'x'.repeat(70 * 1024), false), 1009);
  assert.equal(await alive(), 200);
  assert.equal(await sendAndWaitClose(url, headers, Buffer.from([0xff, 0xfe, 0xfd]), false), 1007);
  assert.equal(await alive(), 200);
});

test('a reset upgrade and a body cut off mid-request leave the server answering', async (t) => {
  const { server, headers, alive } = await serve(t);
  const raw = (text: string) =>
    new Promise<void>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => {
        s.write(text);
        setTimeout(() => {
          s.resetAndDestroy();
          resolve();
        }, 50);
      });
      s.on('error', () => undefined);
    });
  await raw(
    `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nCookie: ${headers.Cookie}\r\nUpgrade: websocket\r\n` +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await raw(
    `POST /api/library.status HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nCookie: ${headers.Cookie}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":',
  );
  await raw('GET / HTTP/1.1\r\nHost: \x00\x01\r\nX: ' + 'y'.repeat(20_000) + '\r\n\r\n');
  assert.equal(await alive(), 200);
});
