/**
 * Training the recognition head: start (head.train runs until done, so the call is kept pending while
 * head.progress events draw the curves), cancel (jobs.cancel), the history of heads with their metrics and
 * the baseline's, activate and roll back. The verdict shown is the engine's plain-language one.
 */
import type { z } from 'zod';
import type { HeadDto, headProgressSchema, recogniseSummarySchema } from '../../../../main/api/head';
import { api, errorMessage } from '../api/client';
import { i18n, t } from '../i18n/i18n.svelte';
import { jobs } from './jobs.svelte';
import { notices } from './notices.svelte';
import { people } from './people.svelte';

export type HeadProgress = z.infer<typeof headProgressSchema>;
export type RecogniseSummary = z.infer<typeof recogniseSummarySchema>;

class Training {
  heads = $state.raw<HeadDto[]>([]);
  /** Progress events of the current (or last) run, for the curves. */
  points = $state.raw<HeadProgress[]>([]);
  running = $state(false);
  backend = $state<string | null>(null);
  last = $state.raw<{ head: HeadDto; applied: RecogniseSummary | null } | null>(null);
  /** Why the last training failed, worded when shown (so it follows a change of language). */
  error = $state<(() => string) | null>(null);
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    api.on('head.progress', (p) => {
      if (p.phase === 'eval') return;
      this.points = [...this.points, p];
      if (p.backend) this.backend = p.backend;
    });
    void this.load();
  }

  get progress(): HeadProgress | null {
    return this.points.at(-1) ?? null;
  }

  get active(): HeadDto | null {
    return this.heads.find((h) => h.active) ?? null;
  }

  async load(): Promise<void> {
    try {
      this.heads = await api['head.list']({});
    } catch (err) {
      notices.error(err);
    }
  }

  async train(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = null;
    this.points = [];
    this.last = null;
    try {
      this.last = await api['head.train']({});
      this.backend = this.last.head.backend;
      people.revision++;
      void people.refresh();
    } catch (err) {
      this.error = () => errorMessage(err);
    } finally {
      this.running = false;
      void jobs.refresh();
      await this.load();
    }
  }

  async cancel(): Promise<void> {
    await jobs.cancel('train');
  }

  async activate(id: number, force: boolean): Promise<void> {
    try {
      await api['head.activate']({ id, force });
      await this.load();
    } catch (err) {
      notices.error(err);
    }
  }

  async rollback(): Promise<void> {
    try {
      await api['head.rollback']({});
      await this.load();
    } catch (err) {
      notices.error(err);
    }
  }
}

/**
 * The verdict in the user's language, from the engine's decision (accepted) and the measured numbers. The
 * engine's own sentence (h.verdict, English) says which test decided; the history table shows it.
 */
export function verdictText(h: HeadDto): string {
  const vars = {
    head: i18n.percent(h.metrics.top1),
    base: i18n.percent(h.baseline.top1),
    open: i18n.percent(h.metrics.open),
    baseOpen: i18n.percent(h.baseline.open),
  };
  if (h.metrics.known === 0 || h.metrics.unknown === 0) return t('training.verdict.notEnough');
  if (!h.accepted) return t('training.verdict.kept', vars);
  // Accepted on equal numbers means on separation (guard.ts: verdict): never call equal numbers "better".
  const gained = h.metrics.top1 > h.baseline.top1 || h.metrics.open > h.baseline.open;
  return t(gained ? 'training.verdict.better' : 'training.verdict.further', vars);
}

const BACKENDS = ['node-gpu', 'node', 'wasm', 'cpu'] as const;

/** "CPU (WebAssembly)" for "wasm"; the engine's own words for anything else. */
export function backendLabel(backend: string): string {
  const known = BACKENDS.find((b) => b === backend || backend.startsWith(`${b} `));
  return known ? t(`training.backend.${known}`) : backend;
}

export const training = new Training();
