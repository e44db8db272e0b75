/**
 * Web-mode access control. Every request must carry the server's token: first in the URL printed by
 * `visage serve` (?token=…), after that in an HttpOnly, SameSite=Strict cookie the server sets, so page
 * scripts never see it and other sites cannot send it. Requests that change state or open the event
 * socket must also come from our own origin, and when bound to loopback the Host header must name
 * loopback, which defeats DNS-rebinding pages even before the token check.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export type AuthResult =
  { ok: true; via: 'query' | 'cookie' | 'header' } | { ok: false; status: 401 | 403; reason: string };

export interface AccessPolicy {
  token: string;
  /** Cookie name; includes the port because cookies are shared by every port on a host. */
  cookieName: string;
  /** host:port values the Host header may carry; empty when bound to a non-loopback address. */
  allowedHosts: ReadonlySet<string>;
}

export function accessPolicy(token: string, host: string, port: number): AccessPolicy {
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);
  const allowedHosts = loopback
    ? new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
    : new Set<string>();
  return { token, cookieName: `visage_token_${port}`, allowedHosts };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export function checkHost(req: IncomingMessage, policy: AccessPolicy): boolean {
  if (policy.allowedHosts.size === 0) return true;
  return policy.allowedHosts.has((req.headers.host ?? '').toLowerCase());
}

/**
 * Same-origin check for state-changing requests and the WebSocket: a browser always sends Origin there, and
 * it must be this server. Clients that are not browsers (scripts, tests) send none and rely on the token.
 */
export function checkOrigin(req: IncomingMessage): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://${req.headers.host ?? ''}`;
}

export function authenticate(req: IncomingMessage, url: URL, policy: AccessPolicy): AuthResult {
  const fromQuery = url.searchParams.get('token');
  const auth = req.headers.authorization;
  const fromHeader = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
  const fromCookie = parseCookies(req.headers.cookie).get(policy.cookieName) ?? null;
  const [given, via] =
    fromQuery !== null
      ? [fromQuery, 'query' as const]
      : fromHeader !== null
        ? [fromHeader, 'header' as const]
        : [fromCookie, 'cookie' as const];
  if (given === null || given === '') {
    return {
      ok: false,
      status: 401,
      reason: 'Open the address printed by "visage serve"; it carries the token.',
    };
  }
  if (!sameToken(given, policy.token)) {
    return {
      ok: false,
      status: 403,
      reason:
        'Wrong token: this address is older than the running server\'s token (rotated with "visage serve --rotate-token") or belongs to another catalog. Open the address "visage serve" printed.',
    };
  }
  return { ok: true, via };
}

export function tokenCookie(policy: AccessPolicy): string {
  return `${policy.cookieName}=${policy.token}; HttpOnly; SameSite=Strict; Path=/`;
}
