/**
 * The event half of web mode: one WebSocket at /events per page, carrying every contract event as
 * `{ event, payload }` JSON. Upgrades are authenticated and origin-checked like any other request.
 * [Note: no client stops the server] Every socket has an error handler: a frame over maxPayload, invalid
 * UTF-8, a bad opcode or a reset connection costs that client its connection, never the server (an
 * 'error' event without a listener would end the whole process).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { VisageApi } from '../api/contract';
import { authenticate, checkHost, checkOrigin, type AccessPolicy } from './auth';
import { forwardEvents } from '../host/contract-bridge';

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Attaches the /events socket to `server`; returns a function that closes every connection. */
export function attachEventSocket(
  server: Server,
  api: VisageApi,
  getPolicy: () => AccessPolicy,
): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  wss.on('error', () => undefined);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {
      socket.destroy();
    });
    const policy = getPolicy();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/events') {
      refuse(socket, 404, 'Not Found');
      return;
    }
    if (!checkHost(req, policy) || !checkOrigin(req)) {
      refuse(socket, 403, 'Forbidden');
      return;
    }
    const auth = authenticate(req, url, policy);
    if (!auth.ok) {
      refuse(socket, auth.status, auth.status === 401 ? 'Unauthorized' : 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {
        ws.terminate();
      });
      const off = forwardEvents(api, (event, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
      });
      ws.on('close', off);
      // The socket is one-way; anything the page sends is ignored.
      ws.on('message', () => undefined);
    });
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => {
        resolve();
      });
    });
}
