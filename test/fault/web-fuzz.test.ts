/**
 * [Note: no client stops the server] A fuzzing client against a real `visage serve` process: oversized and
 * malformed WebSocket frames, raw garbage and broken HTTP on the socket, malformed bodies to every request,
 * huge headers. Afterwards the same process still answers. (Parallel large uploads: upload-stream.test.ts.)
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import WebSocket from 'ws';
import { requests } from '../../main/api/contract';
import { serverUrl, smallLibrary, visage } from './fault-support';

test('web mode survives a fuzzing client and still answers', async (t) => {
  const { db } = smallLibrary(t);
  const server = visage(db, 'serve', '--port', '0');
  t.after(() => server.child.kill('SIGKILL'));
  const url = await serverUrl(server);
  const token = url.searchParams.get('token')!;
  const headers = { Cookie: `visage_token_${url.port}=${token}`, Origin: url.origin };
  const post = (name: string, body: string, extra: Record<string, string> = {}) =>
    fetch(`${url.origin}/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers, ...extra },
      body,
    }).then(
      async (r) => ({ status: r.status, text: await r.text() }),
      () => ({ status: 0, text: '' }),
    );
  const alive = async () => (await post('library.status', '{}')).status;
  assert.equal(await alive(), 200);

  // WebSocket: oversized text, invalid UTF-8, binary junk, a flood of small frames.
  const frames: [Buffer | string, boolean][] = [
    ['x'.repeat(70 * 1024), false],
    [Buffer.from([0xff, 0xfe, 0xfd]), false],
    [Buffer.alloc(200 * 1024, 7), true],
    [Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), false],
  ];
  for (const [data, binary] of frames) {
    await new Promise<void>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${url.port}/events`, { headers });
      ws.on('open', () => {
        ws.send(data, { binary });
        for (let i = 0; i < 200; i++) ws.send(`{"junk":${i}}`);
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        resolve();
      });
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5000).unref();
    });
  }
  assert.equal(await alive(), 200, 'after the WebSocket frames');

  // Raw sockets: garbage, a broken request line, a huge header, an upgrade reset mid-handshake.
  const raw = (text: string | Buffer) =>
    new Promise<void>((resolve) => {
      const s = net.connect(Number(url.port), '127.0.0.1', () => {
        s.write(text);
        setTimeout(() => {
          s.resetAndDestroy();
          resolve();
        }, 30);
      });
      s.on('error', () => {
        resolve();
      });
    });
  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
  for (const text of [
    junk,
    'GET\r\n\r\n',
    'POST /api/library.status HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    `GET /events HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nCookie: ${headers.Cookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n\r\n`,
    `POST /api/app.uploadImage HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nCookie: ${headers.Cookie}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
  ]) {
    await raw(text);
  }
  assert.equal(await alive(), 200, 'after the raw sockets');

  // Malformed bodies to every request: never a 500, never a crash.
  const bodies = ['null', '{"a":', '[1e309]', '{"__proto__":{"x":1},"path":{"$ne":1}}'];
  const names = Object.keys(requests);
  let fives = 0;
  for (const name of names) {
    for (const body of bodies) {
      const r = await post(name, body);
      if (r.status >= 500) fives++;
    }
  }
  assert.equal(fives, 0, 'malformed bodies are 4xx, not 5xx');
  assert.equal(await alive(), 200, 'after the malformed bodies');

  assert.equal(server.child.exitCode, null, 'the server process is still running');
});
