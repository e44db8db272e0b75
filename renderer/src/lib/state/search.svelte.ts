/**
 * Search: by a face from the library ("Find similar"), by an image the user drops or pastes (uploaded to the
 * engine, its faces offered to pick from), or by one or more names. Results are photos, best first.
 */
import type { Box } from '../../../../main/api/common';
import type { PhotoMatchDto } from '../../../../main/api/search';
import { api, errorMessage } from '../api/client';
import { uploadImage } from '../api/upload';
import { t } from '../i18n/i18n.svelte';

export type SearchQuery =
  | { kind: 'face'; faceId: number }
  | { kind: 'image'; path: string; previewUrl: string; face: number | null }
  | { kind: 'people'; names: string[] };

class Search {
  query = $state<SearchQuery | null>(null);
  results = $state.raw<PhotoMatchDto[]>([]);
  /** Faces found in a dropped image, and which one the results are for. */
  imageFaces = $state.raw<Box[]>([]);
  usedFace = $state<number | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  ran = $state(false);

  byFace(faceId: number): void {
    this.reset();
    this.query = { kind: 'face', faceId };
    void this.run();
  }

  byPeople(names: string[]): void {
    this.reset();
    this.query = { kind: 'people', names };
    void this.run();
  }

  /** Forgets everything of the previous query: a new one never shows the old faces, results or error. */
  private reset(): void {
    if (this.query?.kind === 'image') URL.revokeObjectURL(this.query.previewUrl);
    this.query = null;
    this.imageFaces = [];
    this.usedFace = null;
    this.results = [];
    this.error = null;
    this.ran = false;
  }

  /** A file that is not a picture, refused before it is sent. */
  refuseFile(): void {
    this.reset();
    this.error = t('err.decode.unsupported');
  }

  async byImageFile(file: File): Promise<void> {
    this.reset();
    this.busy = true;
    try {
      const { path } = await uploadImage(file);
      this.query = { kind: 'image', path, previewUrl: URL.createObjectURL(file), face: null };
      await this.run();
    } catch (err) {
      this.error = errorMessage(err);
      this.busy = false;
    }
  }

  pickFace(index: number): void {
    if (this.query?.kind !== 'image') return;
    this.query = { ...this.query, face: index };
    void this.run();
  }

  async run(): Promise<void> {
    const q = this.query;
    if (!q) return;
    this.busy = true;
    this.error = null;
    try {
      if (q.kind === 'face') {
        this.results = (await api['search.byFace']({ faceId: q.faceId })).results;
      } else if (q.kind === 'people') {
        this.results = (await api['search.byPeople']({ people: q.names })).results;
      } else {
        const res = await api['search.byImage']({
          path: q.path,
          ...(q.face === null ? {} : { face: q.face }),
        });
        this.imageFaces = res.faces.map((f) => f.box);
        this.usedFace = res.used;
        this.results = res.results;
      }
    } catch (err) {
      this.results = [];
      if (q.kind === 'image' && q.face === null) {
        // No usable face in it (or not a picture at all): no boxes, and no preview of a file that is none.
        this.imageFaces = [];
        this.usedFace = null;
      }
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
      this.ran = true;
    }
  }
}

export const search = new Search();
