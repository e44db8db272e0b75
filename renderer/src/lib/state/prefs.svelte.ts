/**
 * Display preferences kept in this browser profile: the colour theme. (Language lives with the messages
 * in i18n.svelte.ts.) The theme is applied as data-theme on <html>; 'system' follows the OS setting.
 */
export type Theme = 'system' | 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('visage.theme');
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

class Prefs {
  theme = $state<Theme>(initialTheme());

  apply(): void {
    const root = document.documentElement;
    if (this.theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.theme;
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    localStorage.setItem('visage.theme', theme);
    this.apply();
  }
}

export const prefs = new Prefs();
