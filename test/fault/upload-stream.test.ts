/**
 * [Note: streamed uploads] against a real `visage serve` process: eight parallel ~29 MB images (the issue's
 * 39 MB base64 bodies) and eight parallel 39 MB bodies past the size cap keep the server's resident memory
 * bounded (sampled from /proc while they run; a server that buffered bodies grows by at least the images it
 * holds at once); a non-image is refused before anything is stored and the answer never quotes its bytes;
 * an aborted upload leaves no file; the JSON route refuses base64 uploads; the server answers afterwards.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { serverUrl, sleep, smallLibrary, visage } from './fault-support';

const MB = 1024 * 1024;
/** A buffering server holds at least 4 × 29 MB at once here; streaming needs a few socket buffers. */
const RSS_GROWTH_LIMIT_MB = 80;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** The highest RSS of `pid` while `work` runs, sampled every 10 ms. */
async function peakWhile<T>(pid: number, work: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 10);
  try {
    const result = await work;
    return { result, peak: Math.max(peak, rssMb(pid)) };
  } finally {
    clearInterval(timer);
  }
}

/** `mb` megabytes starting with `head`, produced 1 MB at a time (never held whole by the test either). */
function body(head: Buffer, mb: number): Readable {
  const chunk = Buffer.alloc(MB, 0x5a);
  let sent = 0;
  return new Readable({
    read() {
      if (sent === mb) return void this.push(null);
      this.push(sent === 0 ? Buffer.concat([head, chunk.subarray(head.length)]) : chunk);
      sent++;
    },
  });
}

interface Reply {
  status: number;
  text: string;
}

function upload(
  url: URL,
  cookie: string,
  data: Readable,
  opts: { length?: number; abortAfterMb?: number } = {},
): Promise<Reply> {
  return new Promise((resolve) => {
    const req = http.request(`${url.origin}/upload`, {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: url.origin,
        'Content-Type': 'application/octet-stream',
        ...(opts.length === undefined ? {} : { 'Content-Length': opts.length }),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
      });
      res.on('error', () => {
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    // A refused upload is answered before its body is read, and its connection closed: status 0 then.
    req.on('error', () => {
      resolve({ status: 0, text: '' });
    });
    let sent = 0;
    data.on('data', (c: Buffer) => {
      sent += c.length;
      if (opts.abortAfterMb !== undefined && sent >= opts.abortAfterMb * MB) {
        data.pause();
        req.destroy();
        resolve({ status: -1, text: 'aborted' });
      }
    });
    data.pipe(req);
  });
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);

test('web mode streams uploads to disk: bounded memory, sniffed, capped, nothing left behind', async (t) => {
  const { db } = smallLibrary(t);
  const server = visage(db, 'serve', '--port', '0');
  t.after(() => server.child.kill('SIGKILL'));
  const url = await serverUrl(server);
  const cookie = `visage_token_${url.port}=${url.searchParams.get('token')!}`;
  const pid = server.child.pid!;
  const uploads = path.join(path.dirname(db), 'uploads');
  const files = () => {
    try {
      return readdirSync(uploads).sort();
    } catch {
      return [];
    }
  };
  const alive = async () =>
    (
      await fetch(`${url.origin}/api/library.status`, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: url.origin, 'Content-Type': 'application/json' },
        body: '{}',
      })
    ).status;
  assert.equal(await alive(), 200);

  // A non-image: refused from its first bytes, nothing stored, its bytes never quoted.
  const text = Buffer.from('#!/bin/sh\nhello, this is not a picture\n');
  const refused = await upload(url, cookie, body(text, 3), { length: 3 * MB });
  assert.ok([0, 400].includes(refused.status), `a non-image answered ${refused.status}`);
  if (refused.status === 400) {
    assert.match(refused.text, /not an image/);
    assert.match(refused.text, /err\.decode\.unsupported/, 'worded by the UI');
    assert.doesNotMatch(refused.text, /hello|68656c6c|2321/);
  }
  assert.deepEqual(files(), [], 'nothing stored for a non-image');
  // A body shorter than the sniffed head (a few bytes named .jpg) is answered, not left hanging.
  const tiny = Buffer.from('hello, not a photo');
  const short = await Promise.race([
    upload(url, cookie, Readable.from([tiny]), { length: tiny.length }),
    new Promise<Reply>((resolve) =>
      setTimeout(() => {
        resolve({ status: -2, text: 'no answer in 10 s' });
      }, 10_000),
    ),
  ]);
  assert.equal(short.status, 400, `a ${tiny.length}-byte non-image answered ${short.status} ${short.text}`);
  assert.match(short.text, /err\.decode\.unsupported/);
  assert.deepEqual(files(), [], 'nothing stored for a short non-image');

  // Eight parallel 29 MB images; a busy server says 503 and the client tries again.
  await sleep(300);
  const before = rssMb(pid);
  const one = async (): Promise<Reply> => {
    for (;;) {
      const r = await upload(url, cookie, body(JPEG, 29), { length: 29 * MB });
      if (r.status !== 503 && r.status !== 0) return r;
      await sleep(200);
    }
  };
  const { result: stored, peak } = await peakWhile(pid, Promise.all(Array.from({ length: 8 }, one)));
  for (const r of stored) assert.equal(r.status, 200, r.text);
  const paths = stored.map((r) => (JSON.parse(r.text) as { path: string }).path);
  assert.equal(new Set(paths).size, 8);
  for (const p of paths) assert.match(p, /\.jpg$/);
  assert.equal(files().length, 8, 'eight stored files, no partial ones');
  t.diagnostic(`8 × 29 MB uploads: RSS ${before.toFixed(0)} MB → peak ${peak.toFixed(0)} MB`);
  assert.ok(
    peak - before < RSS_GROWTH_LIMIT_MB,
    `RSS grew by ${(peak - before).toFixed(0)} MB (from ${before.toFixed(0)})`,
  );

  // Eight parallel 39 MB bodies without a length: read up to the cap, refused, their partial files removed.
  const big = await peakWhile(
    pid,
    Promise.all(Array.from({ length: 8 }, () => upload(url, cookie, body(JPEG, 39)))),
  );
  for (const r of big.result) assert.ok([0, 413, 503].includes(r.status), `39 MB answered ${r.status}`);
  assert.ok(
    big.result.some((r) => r.status === 413 && /larger than 30 MB/.test(r.text)),
    JSON.stringify(big.result.map((r) => r.status)),
  );
  t.diagnostic(`8 × 39 MB over the cap: peak ${big.peak.toFixed(0)} MB`);
  assert.ok(big.peak - before < RSS_GROWTH_LIMIT_MB, `RSS grew by ${(big.peak - before).toFixed(0)} MB`);
  await sleep(300);
  assert.equal(files().length, 8, 'nothing kept of uploads over the cap');
  // A declared length over the cap is refused before a byte is read.
  const declared = await upload(url, cookie, body(JPEG, 1), { length: 40 * MB });
  assert.ok([0, 413].includes(declared.status));

  // An upload whose client goes away half-way leaves no file.
  const aborted = await upload(url, cookie, body(JPEG, 20), { length: 20 * MB, abortAfterMb: 8 });
  assert.equal(aborted.status, -1);
  await sleep(500);
  assert.equal(files().length, 8, `an aborted upload leaves nothing: ${files().join(', ')}`);
  assert.ok(!files().some((f) => f.endsWith('.part')));

  // Base64 in JSON is refused without reading it.
  const json = await fetch(`${url.origin}/api/app.uploadImage`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: url.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'x.jpg', data: Buffer.from(JPEG).toString('base64') }),
  });
  assert.equal(json.status, 400);
  assert.match(await json.text(), /POST upload/);

  assert.equal(await alive(), 200, 'the server still answers');
  assert.equal(server.child.exitCode, null, 'the server process is still running');
});
