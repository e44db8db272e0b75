/**
 * Short messages for the user (a failed request, "merged — Undo"), shown in one live region so screen
 * readers announce them. A notice may carry one action. A notice keeps how to word it, not the words: a
 * toast shown before the user switched language is re-worded in the new one ([Note: worded messages]).
 */
import { errorMessage } from '../api/client';

/** The words, or how to make them in the current language (read in the view, so it follows i18n). */
export type NoticeText = string | (() => string);

export interface Notice {
  id: number;
  text: NoticeText;
  kind: 'info' | 'error';
  /**
   * `available`: whether the action still applies (read in the view, so the button goes when it turns
   * false: an "Undo" for an edit that is no longer the latest).
   */
  action?: { label: NoticeText; run: () => void | Promise<void>; available?: () => boolean };
}

class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  show(text: NoticeText, kind: Notice['kind'] = 'info', action?: Notice['action'], ms = 6000): void {
    const notice: Notice = { id: this.next++, text, kind, ...(action ? { action } : {}) };
    this.items = [...this.items.slice(-2), notice];
    setTimeout(() => {
      this.dismiss(notice.id);
    }, ms);
  }

  error(err: unknown): void {
    this.show(() => errorMessage(err), 'error');
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();

/** A notice's words (or its action's) in the current language. */
export function worded(text: NoticeText): string {
  return typeof text === 'string' ? text : text();
}
