/**
 * The library as the UI sees it: folders, catalog status, and the photo list loaded page by page for the
 * virtualised grid. Pages live in a SvelteMap of plain arrays, so 100 k photos cost one signal per page,
 * not 100 k proxies. While indexing runs the list is reloaded at most every few seconds, and at once when the
 * job's phase or state changes (see live-refresh.ts).
 */
import { SvelteMap } from 'svelte/reactivity';
import type { SettingDto } from '../../../../main/api/common';
import type { FaceDto, FolderDto, PhotoDto, StatusDto } from '../../../../main/api/library';
import { api, errorMessage } from '../api/client';
import { jobs } from './jobs.svelte';
import { LiveRefresh } from './live-refresh';
import { notices } from './notices.svelte';

export const PAGE_SIZE = 300;
const LIVE_REFRESH_MS = 3000;

class Library {
  folders = $state.raw<FolderDto[]>([]);
  status = $state.raw<StatusDto | null>(null);
  total = $state(0);
  loaded = $state(false);
  /** Loaded pages by index; a SvelteMap so loading one page re-renders only what reads it. */
  readonly pages = new SvelteMap<number, PhotoDto[]>();
  private loading = new Set<number>();
  private generation = 0;

  start(): void {
    const live = new LiveRefresh(() => void this.refresh(), LIVE_REFRESH_MS);
    jobs.onChange((p) => {
      if (p.job === 'index') live.note(p);
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const [folders, status, first] = await Promise.all([
        api['library.folders']({}),
        api['library.status']({}),
        api['library.photos']({ offset: 0, limit: PAGE_SIZE }),
      ]);
      this.generation++;
      this.loading.clear();
      this.folders = folders;
      this.status = status;
      this.total = first.total;
      this.pages.clear();
      this.pages.set(0, first.items);
      this.loaded = true;
    } catch (err) {
      notices.error(err);
    }
  }

  photoAt(index: number): PhotoDto | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Loads the pages covering photos [start, end) that are not loaded yet. */
  ensureRange(start: number, end: number): void {
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const last = Math.floor(Math.max(0, Math.min(end, this.total) - 1) / PAGE_SIZE);
    for (let page = first; page <= last; page++) {
      if (this.pages.has(page) || this.loading.has(page)) continue;
      this.loading.add(page);
      void this.loadPage(page, this.generation);
    }
  }

  private async loadPage(page: number, generation: number): Promise<void> {
    try {
      const res = await api['library.photos']({ offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (generation !== this.generation) return;
      this.pages.set(page, res.items);
      this.total = res.total;
    } catch (err) {
      notices.error(err);
    } finally {
      if (generation === this.generation) this.loading.delete(page);
    }
  }

  /**
   * Adds a folder the user picked or typed and submitted (a confirmed user action, see the contract) and
   * starts indexing it; returns an error message for the form, or null.
   */
  async addFolder(path: string): Promise<string | null> {
    try {
      await api['library.addFolder']({ path, index: true, confirmed: true });
      await Promise.all([this.refresh(), jobs.refresh()]);
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  }

  /**
   * The desktop app's folder dialog, then addFolder with the folder chosen; returns an error message to
   * show, or null (also when the user cancelled).
   */
  async pickFolder(): Promise<string | null> {
    try {
      const picked = await api['app.pickFolder']({});
      return picked.path ? await this.addFolder(picked.path) : null;
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** One photo's faces, for the viewer. */
  photoFaces(photoId: number): Promise<FaceDto[]> {
    return api['library.photoFaces']({ photoId });
  }

  /** Opens a photo in the system's viewer, or shows it in its folder (desktop app). */
  async openPhoto(photoId: number, reveal: boolean): Promise<void> {
    try {
      await api['app.openPhoto']({ photoId, reveal });
    } catch (err) {
      notices.error(err);
    }
  }

  /** The indexing settings with their words, and a change to one (null restores its default). */
  settings(): Promise<SettingDto[]> {
    return api['library.settings']({});
  }

  setSetting(key: string, value: number | null): Promise<SettingDto[]> {
    return api['library.setSetting']({ key, value });
  }

  async rescan(): Promise<void> {
    try {
      await api['library.rescan']({ wait: false });
      await jobs.refresh();
    } catch (err) {
      notices.error(err);
    }
  }

  /** Removing a folder drops its labels, so the first call only reports what would go. */
  async removeFolder(id: number, confirm: boolean) {
    const res = await api['library.removeFolder']({ id, confirm });
    if (res.removed) await this.refresh();
    return res;
  }
}

export const library = new Library();
