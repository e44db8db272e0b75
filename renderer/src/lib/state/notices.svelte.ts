/**
 * Short messages for the user (a failed request, "merged — Undo"), shown in one live region so screen
 * readers announce them. A notice may carry one action. A notice keeps how to word it, not the words: a
 * toast shown before the user switched language is re-worded in the new one ([Note: worded messages]).
 *
 * A notice is about what the user just did where they did it, so it does not follow them to another view
 * (`leaveView`), unless its action still applies there: an Undo of the latest edit ([Note: a notice undoes
 * its own edit]) stays until it times out. A notice that stops being true (`holds`: "1 face is now on its
 * own" after the split is undone) goes at once, wherever the user is.
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
   * false: an "Undo" for an edit that is no longer the latest). A notice whose action says it is available
   * outlives a change of view; one without `available` is about the view it was shown in.
   */
  action?: { label: NoticeText; run: () => void | Promise<void>; available?: () => boolean };
  /** Whether what the notice says is still true (read in the view); once false, the notice is gone. */
  holds?: () => boolean;
}

/** At most this many notices at once, newest last: more would push the view up for old news. */
export const MAX_NOTICES = 3;

/** How long a notice with an action stays (the sidebar's Undo stays for good). */
export const ACTION_MS = 20_000;

const holding = (n: Notice) => n.holds?.() ?? true;

class Notices {
  private all = $state<Notice[]>([]);
  private next = 1;

  /** The notices to show, oldest first: those still true. */
  get items(): Notice[] {
    return this.all.filter(holding);
  }

  /**
   * Shows a notice for `ms`; returns its id. One with an action (an Undo) stays longer by default: 6 s was
   * too short to read "Confirmed 6 suggestions", decide, and reach its Undo.
   */
  show(
    text: NoticeText,
    kind: Notice['kind'] = 'info',
    action?: Notice['action'],
    ms = action ? ACTION_MS : 6000,
    holds?: () => boolean,
  ): number {
    const notice: Notice = {
      id: this.next++,
      text,
      kind,
      ...(action ? { action } : {}),
      ...(holds ? { holds } : {}),
    };
    this.all = [...this.items.slice(-(MAX_NOTICES - 1)), notice];
    setTimeout(() => {
      this.dismiss(notice.id);
    }, ms);
    return notice.id;
  }

  error(err: unknown): void {
    this.show(() => errorMessage(err), 'error');
  }

  dismiss(id: number): void {
    this.all = this.all.filter((n) => n.id !== id);
  }

  /** The user went to another view: only notices whose action still applies (an Undo) go with them. */
  leaveView(): void {
    this.all = this.items.filter((n) => n.action?.available?.() === true);
  }
}

export const notices = new Notices();

/** A notice's words (or its action's) in the current language. */
export function worded(text: NoticeText): string {
  return typeof text === 'string' ? text : text();
}
