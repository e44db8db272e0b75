/**
 * Edit → Undo in the desktop menu. Inside a text field it is the field's own undo; anywhere else it is
 * Visage's undo (people.undo), reached through the page's own Ctrl/Cmd+Z handler (renderer App.svelte),
 * so the menu and the shortcut do the same thing and the page shows what was undone. The probe runs in
 * the page with executeJavaScript (not governed by the page's CSP); types only, so tests pass a fake.
 */

export interface UndoTarget {
  executeJavaScript(code: string, userGesture?: boolean): Promise<unknown>;
  undo(): void;
}

/** In the page: 'text' when a text field has focus, else dispatches Ctrl+Z to the page and says 'visage'. */
export const UNDO_PROBE = `(() => {
  const el = document.activeElement;
  const typing = !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  if (typing) return 'text';
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true }));
  return 'visage';
})()`;

export async function undoInPage(target: UndoTarget): Promise<'text' | 'visage'> {
  const where = await target.executeJavaScript(UNDO_PROBE, true);
  if (where === 'text') {
    target.undo();
    return 'text';
  }
  return 'visage';
}
