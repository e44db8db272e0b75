/**
 * Progress of the engine's long jobs (index, cluster, train, recognise): the snapshot from jobs.status,
 * then kept current by jobs.progress events. Views read `progress[job]` and call pause/cancel.
 */
import type { Progress } from '../../../../main/api/jobs';
import { api } from '../api/client';
import { onConnectionChange } from '../api/web-client';
import { notices } from './notices.svelte';

export type JobKind = Progress['job'];
type Listener = (p: Progress) => void;

const POLL_WHILE_RUNNING_MS = 2000;

class Jobs {
  progress = $state<Partial<Record<JobKind, Progress>>>({});
  private readonly listeners = new Set<Listener>();
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    api.on('jobs.progress', (p) => {
      this.update(p);
    });
    // After a lost WebSocket, events may have been missed: take a fresh snapshot.
    onConnectionChange((connected) => {
      if (connected) void this.refresh();
    });
    void this.refresh();
    // Safety net: events are the fast path, but one lost on the way (a socket that opened after the job
    // started, a proxy that buffers) must not leave a progress bar stuck; while a job runs, re-read the
    // snapshot now and then so the view always converges.
    setInterval(() => {
      if (Object.values(this.progress).some((p) => p.state === 'running' || p.state === 'paused')) {
        void this.refresh();
      }
    }, POLL_WHILE_RUNNING_MS);
  }

  async refresh(): Promise<void> {
    try {
      for (const p of await api['jobs.status']({})) this.update(p);
    } catch (err) {
      notices.error(err);
    }
  }

  /** Called on every progress change (state classes use it to reload when a job ends). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  running(job: JobKind): boolean {
    const s = this.progress[job]?.state;
    return s === 'running' || s === 'paused';
  }

  async pause(job: JobKind, paused: boolean): Promise<void> {
    try {
      await api['jobs.pause']({ job, paused });
    } catch (err) {
      notices.error(err);
    }
  }

  async cancel(job: JobKind): Promise<void> {
    try {
      await api['jobs.cancel']({ job });
    } catch (err) {
      notices.error(err);
    }
  }

  /**
   * Listeners hear of changes only: the poll re-reads every job's snapshot while one runs, and passing on
   * an unchanged one (an idle index job, a recognition run that ended minutes ago) made the library and
   * the people views reload every two seconds, all through a long re-group.
   */
  private update(p: Progress): void {
    const before = this.progress[p.job];
    if (before && JSON.stringify(before) === JSON.stringify(p)) return;
    this.progress = { ...this.progress, [p.job]: p };
    for (const l of this.listeners) l(p);
  }
}

export const jobs = new Jobs();
