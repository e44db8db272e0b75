/**
 * Which view is shown, from the URL hash (#/library, #/people/12, …). Hash routes work unchanged under
 * web mode's http:// origin and Electron's visage:// protocol, and need no server-side routing.
 */
export type View = 'library' | 'people' | 'review' | 'search' | 'training' | 'settings';
export const VIEWS: readonly View[] = ['library', 'people', 'review', 'search', 'training', 'settings'];

export interface Route {
  view: View;
  /** The id after the view (a person on #/people/12, a photo on #/library/34), if any. */
  id: number | null;
}

function parse(hash: string): Route {
  const [, view, id] = /^#\/([a-z]+)(?:\/(\d+))?/.exec(hash) ?? [];
  const known = VIEWS.find((v) => v === view);
  return { view: known ?? 'library', id: known && id ? Number(id) : null };
}

class Router {
  route = $state<Route>(parse(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parse(window.location.hash);
    });
  }

  go(view: View, id: number | null = null): void {
    const hash = `#/${view}${id === null ? '' : `/${id}`}`;
    if (window.location.hash !== hash) window.location.hash = hash;
    else this.route = parse(hash);
  }
}

export const router = new Router();
