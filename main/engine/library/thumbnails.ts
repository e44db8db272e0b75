/**
 * Cached JPEGs for the UI, made by sharp: grid thumbnails, viewer previews and face crops. The photo's
 * orientation (EXIF, or a sidecar's) is applied (face boxes are in oriented pixels, so boxes drawn over a preview line up). The cache key holds
 * everything the picture depends on (file size and time, face box), so a changed photo or a re-detected face
 * gets a fresh file; files are written to a temporary name and renamed, so a crash never leaves half a JPEG.
 * Sources and results both pass the image allow-list ([Note: image allow-list]).
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { UserError } from '../../api/contract';
import type { ImageKind } from '../../api/app';
import { CONTEXT_SCALE, contextWindow } from '../../api/face-context';
import type { FacesRepo } from '../catalog/faces-repo';
import type { FoldersRepo } from '../catalog/folders-repo';
import type { PhotosRepo } from '../catalog/photos-repo';
import { allowedImageFile, imageMime } from './image-access';
import { orientExplicitly } from '../vision/orient';
import { squareAround, thumbFocus } from './thumb-crop';

/**
 * Pixel sizes: thumbnails are square (the grid is square) and cut around the faces ([Note: thumbnail
 * crop]), previews fit a large screen, faces are square.
 */
export const THUMB_SIZE = 320;
export const PREVIEW_SIZE = 1600;
export const FACE_SIZE = 160;
export const CONTEXT_SIZE = 400;
/** Context kept around a face box so a crop shows hair and chin, as people recognise faces. */
const FACE_MARGIN = 0.2;

export interface ThumbnailDeps {
  photos: Pick<PhotosRepo, 'get'>;
  faces: Pick<FacesRepo, 'get' | 'forPhoto'>;
  folders: Pick<FoldersRepo, 'list'>;
  cacheDir: string;
}

interface Source {
  path: string;
  key: string;
  orientation: number | null;
}

export interface ImageFile {
  path: string;
  mime: string;
}

export class ThumbnailService {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly deps: ThumbnailDeps) {}

  /** Folders a served or decoded file may live in: the library folders and the cache. */
  roots(): string[] {
    return [...this.deps.folders.list().map((f) => f.path), this.deps.cacheDir];
  }

  async file(kind: ImageKind, id: number): Promise<ImageFile> {
    switch (kind) {
      case 'photo': {
        const source = await this.photoSource(id);
        return { path: source.path, mime: imageMime(source.path) };
      }
      case 'preview':
      case 'thumb':
        return { path: await this.photoVariant(kind, id), mime: 'image/jpeg' };
      case 'face':
        return { path: await this.faceCrop(id), mime: 'image/jpeg' };
      case 'context':
        return { path: await this.contextCrop(id), mime: 'image/jpeg' };
    }
  }

  /** The face in its photo at a fixed scale, kept inside the photo: [Note: context window]. */
  private async contextCrop(id: number): Promise<string> {
    const face = this.deps.faces.get(id);
    if (!face) throw new UserError(`No face with id ${id}`, 'not_found');
    const source = await this.photoSource(face.photoId);
    const { x, y, w, h } = face.box;
    // "in": the window kept inside the photo (crops from before were padded grey past its edge).
    const key = `${source.key}|ctx${CONTEXT_SCALE}in|${x.toFixed(1)},${y.toFixed(1)},${w.toFixed(1)},${h.toFixed(1)}`;
    return this.cached('context', id, { ...source, key }, async (img) => {
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      const { left, top, side } = contextWindow(face.box, { width: info.width, height: info.height });
      return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .extract({ left, top, width: side, height: side })
        .resize(CONTEXT_SIZE, CONTEXT_SIZE, { fit: 'fill' });
    });
  }

  private async photoSource(id: number): Promise<Source> {
    const photo = this.deps.photos.get(id);
    if (!photo) throw new UserError(`No photo with id ${id}`, 'not_found');
    const real = await allowedImageFile(photo.path, this.roots());
    const info = await stat(real);
    return { path: real, key: `${real}|${info.size}|${info.mtimeMs}`, orientation: photo.orientation };
  }

  private async photoVariant(kind: 'preview' | 'thumb', id: number): Promise<string> {
    const source = await this.photoSource(id);
    if (kind === 'thumb') return this.thumb(id, source);
    return this.cached(kind, id, source, (img) =>
      img.resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside', withoutEnlargement: true }),
    );
  }

  /**
   * The square grid thumbnail, cut around the photo's faces: [Note: thumbnail crop]. The key holds the
   * focus, so a thumbnail made before the photo was analysed is made again once its faces are known.
   */
  private thumb(id: number, source: Source): Promise<string> {
    const photo = this.deps.photos.get(id);
    const faces = this.deps.faces.forPhoto(id).map((f) => f.box);
    const focus = thumbFocus(photo?.width ?? null, photo?.height ?? null, faces);
    const key = `${source.key}|thumb@${focus ? `${focus.x.toFixed(3)},${focus.y.toFixed(3)}` : 'top'}`;
    return this.cached('thumb', id, { ...source, key }, async (img) => {
      // Scaled first (short side THUMB_SIZE), then cut in the oriented, scaled pixels the focus maps to.
      const { data, info } = await img
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'outside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { left, top, side } = squareAround(focus, info.width, info.height);
      return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .extract({ left, top, width: side, height: side })
        .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'fill' });
    });
  }

  private async faceCrop(id: number): Promise<string> {
    const face = this.deps.faces.get(id);
    if (!face) throw new UserError(`No face with id ${id}`, 'not_found');
    const source = await this.photoSource(face.photoId);
    const { x, y, w, h } = face.box;
    const key = `${source.key}|${x.toFixed(1)},${y.toFixed(1)},${w.toFixed(1)},${h.toFixed(1)}`;
    return this.cached('face', id, { ...source, key }, async (img) => {
      // Orient first into a buffer so extract() works in oriented pixels, like the box.
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      const side = Math.max(w, h) * (1 + 2 * FACE_MARGIN);
      const cx = x + w / 2;
      const cy = y + h / 2;
      const left = Math.max(0, Math.round(cx - side / 2));
      const top = Math.max(0, Math.round(cy - side / 2));
      const width = Math.max(1, Math.min(info.width - left, Math.round(side)));
      const height = Math.max(1, Math.min(info.height - top, Math.round(side)));
      return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .extract({ left, top, width, height })
        .resize(FACE_SIZE, FACE_SIZE, { fit: 'cover' });
    });
  }

  /** Returns the cached file for (kind, id, source key), making it once even when asked for concurrently. */
  private async cached(
    kind: ImageKind,
    id: number,
    source: Source,
    make: (img: Sharp) => Sharp | Promise<Sharp>,
  ): Promise<string> {
    const digest = createHash('sha1').update(source.key).digest('hex').slice(0, 16);
    const file = path.join(this.deps.cacheDir, kind, digest.slice(0, 2), `${id}-${digest}.jpg`);
    const existing = this.inFlight.get(file);
    if (existing) return existing;
    const job = (async () => {
      try {
        await stat(file);
        return file;
      } catch {
        // Not cached yet.
      }
      const sourcePath = source.path;
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        // The orientation the photo was indexed with (it may come from a sidecar, [Note: sidecar
        // orientation]); EXIF's own before the photo is indexed.
        const input = sharp(sourcePath, { failOn: 'truncated' });
        const o = source.orientation;
        const img = await make(o === null ? input.rotate() : orientExplicitly(input, o));
        await img.flatten({ background: '#000' }).jpeg({ quality: 82 }).toFile(tmp);
        await rename(tmp, file);
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        const reason = err instanceof Error ? err.message : String(err);
        throw new UserError(
          `Could not make a ${kind} image for ${path.basename(sourcePath)}: ${reason}`,
          'not_found',
        );
      }
      return file;
    })();
    this.inFlight.set(file, job);
    try {
      return await job;
    } finally {
      this.inFlight.delete(file);
    }
  }
}
