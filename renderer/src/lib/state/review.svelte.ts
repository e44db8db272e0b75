/**
 * The review queue ("Is this NAME?") in the engine's order (sure ones first, then the ones that teach the
 * most). Answers are applied at once and the queue moves on without waiting for a reload; the people list
 * is refreshed once the user pauses.
 */
import type { z } from 'zod';
import type { suggestionSchema } from '../../../../main/api/people';
import { api } from '../api/client';
import { say, t } from '../i18n/i18n.svelte';
import { notices } from './notices.svelte';
import { people } from './people.svelte';

export type Suggestion = z.infer<typeof suggestionSchema>;
const BATCH = 200;
const SETTLE_MS = 1500;

class Review {
  queue = $state.raw<Suggestion[]>([]);
  loaded = $state(false);
  answered = $state(0);
  private settle: ReturnType<typeof setTimeout> | null = null;

  get current(): Suggestion | null {
    return this.queue[0] ?? null;
  }

  get sure(): Suggestion[] {
    return this.queue.filter((s) => s.tier === 'sure');
  }

  /** Faces a bulk "yes" would confirm (a group question counts all its faces). */
  get sureFaces(): number {
    return this.sure.reduce((n, s) => n + s.faceIds.length, 0);
  }

  async load(): Promise<void> {
    try {
      this.queue = await api['people.suggestions']({ limit: BATCH });
      this.loaded = true;
    } catch (err) {
      notices.error(err);
    }
  }

  async yes(): Promise<void> {
    const s = this.advance();
    if (s) await this.apply(() => api['people.confirm']({ faceIds: s.faceIds }));
  }

  async no(): Promise<void> {
    const s = this.advance();
    // A group question answered "no": none of its faces is that person.
    // One edit for the whole question, so one Undo takes the answer back.
    if (s) await this.apply(() => api['people.reject']({ faceIds: s.faceIds, person: s.person.id }));
  }

  skip(): void {
    if (this.queue.length < 2) return;
    const [first, ...rest] = this.queue;
    this.queue = [...rest, first];
  }

  async confirmSure(): Promise<void> {
    const ids = this.sure.flatMap((s) => s.faceIds);
    if (ids.length === 0) return;
    this.queue = this.queue.filter((s) => s.tier !== 'sure');
    this.answered += ids.length;
    const done = await this.apply(() => api['people.confirm']({ faceIds: ids }));
    if (!done) return;
    // Offered only while this confirmation is the latest edit: [Note: a notice undoes its own edit].
    const { result, latest } = done;
    notices.show(() => say(result.message, result.summary), 'info', {
      label: () => t('common.undo'),
      available: latest,
      run: () => (latest() ? this.undo(result.undoId) : undefined),
    });
  }

  constructor() {
    // An undo from anywhere may reopen a question: a queue already shown is read again.
    people.onUndo(async () => {
      if (this.loaded) await this.load();
    });
  }

  /** `expect`: the edit this Undo names (refused by the engine when another edit is the latest by now). */
  async undo(expect?: number): Promise<void> {
    await people.undo(expect);
  }

  private advance(): Suggestion | null {
    if (this.queue.length === 0) return null;
    const [first, ...rest] = this.queue;
    this.queue = rest;
    this.answered++;
    return first;
  }

  /** Runs an answer (an undoable edit); with `latest`, whether it is still the latest edit not undone. */
  private async apply<T>(run: () => Promise<T>): Promise<{ result: T; latest: () => boolean } | null> {
    try {
      const result = await run();
      const latest = people.noteEdit();
      this.scheduleSettle();
      return { result, latest };
    } catch (err) {
      notices.error(err);
      await this.load();
      return null;
    }
  }

  /** Once answers stop for a moment: refresh people counts and fetch more when the queue ran dry. */
  private scheduleSettle(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      people.revision++;
      void people.refresh();
      if (this.queue.length === 0) void this.load();
    }, SETTLE_MS);
  }
}

export const review = new Review();
