/**
 * Response headers every web-mode reply carries, and the Content-Security-Policy the renderer runs under
 * (also used by Electron's visage:// protocol). The policy allows only our own scripts, styles, images and
 * connections: no inline script, no eval, no remote anything. Svelte and Chart.js set styles through the
 * CSSOM, which style-src does not restrict, so 'unsafe-inline' is not needed.
 */
import type { ServerResponse } from 'node:http';

export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${extraConnect.map((c) => ` ${c}`).join('')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(host: string | undefined): Record<string, string> {
  // 'self' covers ws: on the same host in current browsers; naming it keeps older engines working.
  // The Host header is client-supplied: only a plain host[:port] may reach the policy text.
  const ws = host && /^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i.test(host) ? [`ws://${host}`] : [];
  return {
    'Content-Security-Policy': contentSecurityPolicy(ws),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), payment=()',
  };
}

export function applySecurityHeaders(res: ServerResponse, host: string | undefined): void {
  for (const [k, v] of Object.entries(securityHeaders(host))) res.setHeader(k, v);
}
