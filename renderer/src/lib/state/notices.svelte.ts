/**
 * Short messages for the user (a failed request, "merged — Undo"), shown in one live region so screen
 * readers announce them. A notice may carry one action.
 */
import { errorMessage } from '../api/client';

export interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void | Promise<void> };
}

class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  show(text: string, kind: Notice['kind'] = 'info', action?: Notice['action'], ms = 6000): void {
    const notice: Notice = { id: this.next++, text, kind, ...(action ? { action } : {}) };
    this.items = [...this.items.slice(-2), notice];
    setTimeout(() => {
      this.dismiss(notice.id);
    }, ms);
  }

  error(err: unknown): void {
    this.show(errorMessage(err), 'error');
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();
