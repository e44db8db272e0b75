/**
 * The visage:// protocol that serves the whole UI in Electron: /img/<kind>/<id> through the shared image
 * allow-list ([Note: image allow-list]) and everything else from the built renderer, every response with
 * the strict CSP. Written against the web Request/Response types (no 'electron' import), so the same
 * function is registered with protocol.handle() and exercised directly by unit tests.
 */
import { readFile } from 'node:fs/promises';
import type { VisageApi } from '../api/contract';
import { ImageAccessError } from '../engine/library/image-access';
import { resolveImage } from '../host/image-files';
import { contentSecurityPolicy } from '../host/security-headers';
import { staticFile } from '../host/static-files';

export interface ProtocolDeps {
  api: VisageApi;
  /** Engine data folder (thumbnail cache root). */
  home: string;
  /** Built renderer folder. */
  dist: string;
}

function headers(type: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  };
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: headers('text/plain; charset=utf-8') });
}

export function visageProtocolHandler(deps: ProtocolDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(400, 'Bad address');
    }
    if (url.host !== 'app') return text(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    if (url.pathname.startsWith('/img/')) {
      try {
        const img = await resolveImage(deps.api, url.pathname, deps.home);
        const body = await readFile(img.path);
        return new Response(new Uint8Array(body), {
          status: 200,
          headers: headers(img.mime, { 'Cache-Control': 'private, max-age=60' }),
        });
      } catch (err) {
        if (err instanceof ImageAccessError) return text(err.status, err.message);
        return text(500, 'Could not load the image.');
      }
    }
    const file = await staticFile(url.pathname, deps.dist);
    if (!file) return text(503, 'The UI is not built. Run "npm run build".');
    return new Response(new Uint8Array(file.body), { status: 200, headers: headers(file.mime) });
  };
}
