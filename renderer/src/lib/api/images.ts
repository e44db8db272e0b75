/**
 * Addresses of images. Both hosts serve /img/<kind>/<id> (web server route, Electron visage:// protocol)
 * through the same allow-list, so the renderer never handles file paths.
 */
import type { ImageKind } from '../../../../main/api/app';

export function imageUrl(kind: ImageKind, id: number): string {
  return `/img/${kind}/${id}`;
}
