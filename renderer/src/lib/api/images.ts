/**
 * Addresses of images. Both hosts serve /img/<kind>/<id> (web server route, Electron visage:// protocol)
 * through the same allow-list, so the renderer never handles file paths.
 */
import type { ImageKind } from '../../../../main/api/app';

export function imageUrl(kind: ImageKind, id: number): string {
  return `/img/${kind}/${id}`;
}

/**
 * A photo's grid thumbnail. It is cut around the photo's faces ([Note: thumbnail crop]), which are known
 * only once the photo is analysed, so the address changes then (and when its face count does): the
 * browser would otherwise keep showing the crop it was given while the photo was waiting. Both hosts
 * ignore the query.
 */
export function thumbUrl(photo: { id: number; status: string; faces: number }): string {
  return `${imageUrl('thumb', photo.id)}?v=${photo.status === 'done' ? photo.faces : photo.status}`;
}
