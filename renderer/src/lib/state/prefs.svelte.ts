/**
 * Display preferences: the colour theme and the UI language, kept in the catalog through the contract
 * ([Note: display preferences] in main/api/app.ts) so every browser and the desktop app agree. This
 * browser keeps a copy only to paint the first frame right before the catalog answers. Never chosen
 * (null in the catalog): the theme follows the system and the language the browser.
 * The theme is applied as data-theme on <html>.
 */
import type { UiPrefs } from '../../../../main/api/app';
import { api } from '../api/client';
import { i18n, type Language } from '../i18n/i18n.svelte';
import { notices } from './notices.svelte';

export type Theme = 'system' | 'light' | 'dark';

const THEME_KEY = 'visage.theme';
const LANGUAGE_KEY = 'visage.language';

function cachedTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

class Prefs {
  theme = $state<Theme>(cachedTheme());

  apply(): void {
    const root = document.documentElement;
    if (this.theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.theme;
  }

  /** Takes the catalog's choices; a choice only this browser remembers (older versions) is saved there. */
  async load(): Promise<void> {
    let stored: UiPrefs;
    try {
      stored = await api['app.prefs']({});
    } catch {
      return; // the connection banner says why; the cached choice stays on screen
    }
    const local = localStorage.getItem(LANGUAGE_KEY);
    const localLanguage = local === 'en' || local === 'ko' ? local : null;
    const localTheme = localStorage.getItem(THEME_KEY);
    const missing: Partial<UiPrefs> = {};
    if (stored.language) this.showLanguage(stored.language);
    else if (localLanguage) missing.language = localLanguage;
    else this.showLanguage(i18n.browserLanguage());
    if (stored.theme) this.showTheme(stored.theme);
    else if (localTheme === 'light' || localTheme === 'dark') missing.theme = localTheme;
    if (Object.keys(missing).length) await this.save(missing);
  }

  setTheme(theme: Theme): void {
    this.showTheme(theme);
    void this.save({ theme });
  }

  setLanguage(language: Language): void {
    this.showLanguage(language);
    void this.save({ language });
  }

  private showTheme(theme: Theme): void {
    this.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
    this.apply();
  }

  private showLanguage(language: Language): void {
    i18n.setLanguage(language);
  }

  private async save(changes: Partial<UiPrefs>): Promise<void> {
    try {
      await api['app.setPrefs'](changes);
    } catch (err) {
      notices.error(err);
    }
  }
}

export const prefs = new Prefs();
