/**
 * Search: by a face from the library ("Find similar"), by an image the user drops or pastes (uploaded to the
 * engine, its faces offered to pick from), or by one or more names. Results are photos, best first.
 */
import type { Box } from '../../../../main/api/common';
import type { PersonPhotosDto, PhotoMatchDto } from '../../../../main/api/search';
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
  /** A names search: each person on their own, for an empty answer to say who is in how many photos. */
  people = $state.raw<PersonPhotosDto[]>([]);
  /** Faces found in a dropped image, and which one the results are for. */
  imageFaces = $state.raw<Box[]>([]);
  usedFace = $state<number | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  ran = $state(false);
  /**
   * Counts the queries begun (or refused): a refusal shown beside a query form (a name nobody has) is
   * about the query it belongs to, and goes once another one begins.
   */
  queries = $state(0);

  byFace(faceId: number): void {
    this.clear();
    this.query = { kind: 'face', faceId };
    void this.run();
  }

  byPeople(names: string[]): void {
    this.clear();
    this.query = { kind: 'people', names };
    void this.run();
  }

  /**
   * Forgets everything of the previous query: a new one never shows the old faces, results or error. Also
   * for a query refused before it was sent (a name nobody has): the old photo's error or results under
   * the refusal read as its answer.
   */
  clear(): void {
    this.queries++;
    this.busy = false;
    if (this.query?.kind === 'image') URL.revokeObjectURL(this.query.previewUrl);
    this.query = null;
    this.imageFaces = [];
    this.usedFace = null;
    this.results = [];
    this.people = [];
    this.error = null;
    this.ran = false;
  }

  /** A file that is not a picture, refused before it is sent. */
  refuseFile(): void {
    this.clear();
    this.error = t('err.decode.unsupported');
  }

  async byImageFile(file: File): Promise<void> {
    this.clear();
    const mine = this.queries;
    this.busy = true;
    try {
      const { path } = await uploadImage(file);
      // Another query began (or was refused) while the photo was sent: this one is no longer asked for.
      if (this.queries !== mine) return;
      this.query = { kind: 'image', path, previewUrl: URL.createObjectURL(file), face: null };
      await this.run();
    } catch (err) {
      if (this.queries !== mine) return;
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
    const mine = this.queries;
    // A later query's answer is the one shown: an earlier one that comes back after it is dropped.
    const current = () => this.queries === mine;
    this.busy = true;
    this.error = null;
    try {
      if (q.kind === 'face') {
        const { results } = await api['search.byFace']({ faceId: q.faceId });
        if (current()) this.results = results;
      } else if (q.kind === 'people') {
        const { results, people } = await api['search.byPeople']({ people: q.names });
        if (current()) {
          this.results = results;
          this.people = people;
        }
      } else {
        const res = await api['search.byImage']({
          path: q.path,
          ...(q.face === null ? {} : { face: q.face }),
        });
        if (!current()) return;
        this.imageFaces = res.faces.map((f) => f.box);
        this.usedFace = res.used;
        this.results = res.results;
      }
    } catch (err) {
      if (!current()) return;
      this.results = [];
      if (q.kind === 'image' && q.face === null) {
        // No usable face in it (or not a picture at all): no boxes, and no preview of a file that is none.
        this.imageFaces = [];
        this.usedFace = null;
      }
      this.error = errorMessage(err);
    } finally {
      if (current()) {
        this.busy = false;
        this.ran = true;
      }
    }
  }
}

export const search = new Search();
