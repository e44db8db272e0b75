/**
 * Web mode: the built renderer and the whole contract over HTTP + WebSocket, for a browser on this machine
 * (or a home server). POST /api/<request> with JSON params → JSON reply (400 with a message for bad params
 * or a UserError, 500 otherwise); /events streams contract events; /img/<kind>/<id> serves allow-listed
 * images; POST /upload takes an image's raw bytes ([Note: streamed uploads]). Every request needs the token
 * (see auth.ts) and every reply carries the security headers.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { UPLOAD_ROUTE } from '../api/app';
import type { VisageApi } from '../api/contract';
import type { ReceiveUpload } from '../engine/handlers';
import { ImageAccessError } from '../engine/library/image-access';
import { UploadRefused } from '../engine/library/uploads';
import {
  accessPolicy,
  authenticate,
  checkHost,
  checkOrigin,
  newToken,
  tokenCookie,
  type AccessPolicy,
} from './auth';
import { callByName, toWireError } from '../host/contract-bridge';
import { attachEventSocket } from './events-socket';
import { resolveImage } from '../host/image-files';
import { refusalPage, wantsHtml } from './refusal-page';
import { applySecurityHeaders } from '../host/security-headers';
import { staticFile } from '../host/static-files';

/** Large enough for a big labels file (people.importLabels), small enough to refuse floods. */
const MAX_BODY = 40 * 1024 * 1024;

export interface ServerOptions {
  api: VisageApi;
  /** The engine's data folder (thumbnail cache root). */
  home: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  dist?: string;
  log?: (line: string) => void;
  /** Stores an upload's streamed body (the engine's, with its path rules); without it uploads are refused. */
  receiveUpload?: ReceiveUpload;
}

export interface RunningServer {
  /** The address to open, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

/**
 * Bodies over LARGE_BODY (an uploaded image) are read at most LARGE_AT_ONCE at a time; the others wait, up
 * to LARGE_QUEUE of them, unread in their sockets (the kernel's buffers, not ours), and beyond that are
 * refused with 503. Each large body costs a few times its size while parsed, so this bounds the
 * server's memory whatever a client sends in parallel.
 */
const LARGE_BODY = 1024 * 1024;
const LARGE_AT_ONCE = 2;
const LARGE_QUEUE = 16;
let largeInFlight = 0;
const largeWaiting: (() => void)[] = [];

async function largeBodySlot(): Promise<(() => void) | null> {
  if (largeInFlight >= LARGE_AT_ONCE) {
    if (largeWaiting.length >= LARGE_QUEUE) return null;
    await new Promise<void>((resolve) => largeWaiting.push(resolve));
  }
  largeInFlight++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    largeInFlight--;
    largeWaiting.shift()?.();
  };
}

function isLarge(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? NaN);
  return !Number.isFinite(length) || length > LARGE_BODY;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RangeError('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers a request that is not a same-origin POST (both API and upload routes take only those). */
function refusedPost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') {
    send(res, 405, 'Use POST.');
    return true;
  }
  if (!checkOrigin(req)) {
    send(res, 403, 'Cross-origin requests are refused.');
    return true;
  }
  return false;
}

async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  o: ServerOptions,
): Promise<void> {
  if (refusedPost(req, res)) return;
  if (name === 'app.uploadImage') {
    // Base64 in JSON costs the server a few times the image in memory; web mode streams the bytes instead.
    sendJson(res, 400, { error: `Send the image's bytes as the body of POST ${UPLOAD_ROUTE.slice(1)}.` });
    return;
  }
  const release = isLarge(req) ? await largeBodySlot() : () => undefined;
  if (!release) {
    res.setHeader('Retry-After', '2');
    sendJson(res, 503, { error: 'Too many large requests at once; try again in a moment.' });
    return;
  }
  let result;
  try {
    let params: unknown;
    try {
      const body = await readBody(req);
      params = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
    } catch (err) {
      const tooLarge = err instanceof RangeError;
      sendJson(res, tooLarge ? 413 : 400, { error: tooLarge ? err.message : 'Body is not valid JSON.' });
      return;
    }
    result = await callByName(o.api, name, params);
  } finally {
    release();
  }
  if (result.ok) {
    sendJson(res, 200, result.value ?? null);
    return;
  }
  const { error } = result;
  if (error.kind === 'internal') o.log?.(`visage serve: ${name} failed: ${error.message}`);
  const status = error.kind === 'user' ? 400 : error.kind === 'unknown' ? 404 : 500;
  sendJson(res, status, { error: error.message, code: error.code ?? null, say: error.say ?? null });
}

/**
 * [Note: streamed uploads] The body goes to disk as it arrives (see engine/library/uploads.ts). A refused
 * upload is answered at once and its connection closed, so the rest of its body is never read.
 */
async function handleUpload(req: IncomingMessage, res: ServerResponse, o: ServerOptions): Promise<void> {
  if (refusedPost(req, res)) return;
  if (!o.receiveUpload) {
    send(res, 404, 'Uploads are not served here.');
    return;
  }
  const length = Number(req.headers['content-length'] ?? NaN);
  try {
    sendJson(res, 200, await o.receiveUpload(req, Number.isFinite(length) ? length : undefined));
  } catch (err) {
    if (req.destroyed || res.destroyed) return; // the client went away; its partial file is gone already
    const status = err instanceof UploadRefused ? err.status : 500;
    const { message, say } = toWireError(err);
    if (status === 500) o.log?.(`visage serve: upload failed: ${message}`);
    if (status === 503) res.setHeader('Retry-After', '1');
    res.setHeader('Connection', 'close');
    sendJson(
      res,
      status,
      status === 500 ? { error: 'The upload failed.' } : { error: message, say: say ?? null },
    );
  }
}

async function handleImage(req: IncomingMessage, res: ServerResponse, rawPath: string, o: ServerOptions) {
  try {
    const img = await resolveImage(o.api, rawPath, o.home);
    const info = await stat(img.path);
    const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    res.setHeader('ETag', etag);
    // A minute of reuse keeps grids from flashing when views are switched; a changed photo keeps its id,
    // so longer would show a stale picture after a rescan.
    res.setHeader('Cache-Control', 'private, max-age=60');
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      return res.end();
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', img.mime);
    res.setHeader('Content-Length', info.size);
    createReadStream(img.path)
      .on('error', () => res.destroy())
      .pipe(res);
  } catch (err) {
    if (err instanceof ImageAccessError) {
      send(res, err.status, err.message);
      return;
    }
    o.log?.(`visage serve: image ${rawPath} failed: ${err instanceof Error ? err.message : String(err)}`);
    send(res, 500, 'Could not load the image.');
  }
}

async function handleStatic(res: ServerResponse, pathname: string, o: ServerOptions): Promise<void> {
  const file = await staticFile(pathname, o.dist);
  if (!file) {
    send(res, 503, 'The UI is not built. Run "npm run build" and restart "visage serve".');
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', file.mime);
  res.setHeader('Cache-Control', file.immutable ? 'private, max-age=31536000, immutable' : 'no-cache');
  res.end(file.body);
}

async function route(req: IncomingMessage, res: ServerResponse, o: ServerOptions, policy: AccessPolicy) {
  applySecurityHeaders(res, req.headers.host);
  if (!checkHost(req, policy)) {
    send(res, 403, 'Unexpected Host header.');
    return;
  }
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const auth = authenticate(req, url, policy);
  if (!auth.ok) {
    if (wantsHtml(req)) send(res, auth.status, refusalPage(req, auth.status), 'text/html; charset=utf-8');
    else send(res, auth.status, auth.reason);
    return;
  }
  const isApi = rawPath.startsWith('/api/');
  if (auth.via === 'query') {
    res.setHeader('Set-Cookie', tokenCookie(policy));
    if (req.method === 'GET' && !isApi && !rawPath.startsWith('/img/')) {
      // Drop the token from the address bar and history now that the cookie carries it.
      url.searchParams.delete('token');
      res.statusCode = 303;
      res.setHeader('Location', `${url.pathname}${url.search}`);
      return res.end();
    }
  }
  if (isApi) return handleApi(req, res, rawPath.slice(5), o);
  if (rawPath === UPLOAD_ROUTE) return handleUpload(req, res, o);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'Method not allowed.');
    return;
  }
  if (rawPath.startsWith('/img/')) return handleImage(req, res, rawPath, o);
  return handleStatic(res, url.pathname, o);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? newToken();
  const server = createServer({ requestTimeout: 0 });
  // The policy needs the bound port; nothing is accepted before listen() resolves, so it is set by then.
  let policy = accessPolicy(token, host, o.port ?? 0);
  // [Note: no client stops the server] a reset or malformed request stream ends that request only.
  server.on('clientError', (_err: Error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.on('error', () => {
      res.destroy();
    });
    res.on('error', () => undefined);
    route(req, res, o, policy).catch((err: unknown) => {
      o.log?.(`visage serve: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) send(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  const closeSockets = attachEventSocket(server, o.api, () => policy);
  await listen(server, o.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  policy = accessPolicy(token, host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      await closeSockets();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
