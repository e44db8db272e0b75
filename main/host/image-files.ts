/**
 * Image requests (`/img/<kind>/<id>`) for both hosts: the web server's /img route and Electron's visage://
 * protocol call resolveImage(), which asks the engine for the file and then checks it against the
 * allow-list itself ([Note: image allow-list]) — the host never trusts a path it did not check.
 */
import type { VisageApi } from '../api/contract';
import { UserError } from '../api/contract';
import {
  allowedImageFile,
  ImageAccessError,
  parseImagePath,
  thumbnailCacheDir,
} from '../engine/library/image-access';

export interface ResolvedImage {
  path: string;
  mime: string;
}

/** Throws ImageAccessError (400/403/404) for anything that may not be served. */
export async function resolveImage(api: VisageApi, rawPath: string, home: string): Promise<ResolvedImage> {
  const ref = parseImagePath(rawPath);
  let file: { path: string; mime: string };
  try {
    file = await api['images.file'](ref);
  } catch (err) {
    if (err instanceof UserError) throw new ImageAccessError(err.message, 404);
    throw err;
  }
  const folders = await api['library.folders']({});
  const roots = [...folders.map((f) => f.path), thumbnailCacheDir(home)];
  return { path: await allowedImageFile(file.path, roots), mime: file.mime };
}
