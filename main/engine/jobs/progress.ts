/**
 * One progress snapshot per job, emitted as throttled `jobs.progress` events: at most every
 * `intervalMs`, plus immediately on every state change, so a UI never floods and never misses an end.
 */
import type { MessageDto } from '../../api/common';
import type { Progress } from '../../api/jobs';
import type { Emit } from '../../api/contract';

export class ProgressTracker {
  private snap: Progress;
  private lastEmit = 0;
  private startedAt = 0;
  private doneAtStart = 0;

  constructor(
    job: Progress['job'],
    private readonly emit: Emit,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {
    this.snap = {
      job,
      phase: 'idle',
      state: 'idle',
      done: 0,
      total: 0,
      etaMs: null,
      current: null,
      errors: 0,
      message: null,
      say: null,
    };
  }

  snapshot(): Progress {
    return { ...this.snap };
  }

  start(phase: string, total: number, done = 0): void {
    this.startedAt = this.now();
    this.doneAtStart = done;
    this.set(
      {
        phase,
        state: 'running',
        total,
        done,
        errors: 0,
        etaMs: null,
        current: null,
        message: null,
        say: null,
      },
      true,
    );
  }

  phase(phase: string, total: number): void {
    this.startedAt = this.now();
    this.doneAtStart = 0;
    this.set({ phase, total, done: 0, etaMs: null }, true);
  }

  advance(current: string | null, failed = false): void {
    const done = this.snap.done + 1;
    this.set({ done, current, etaMs: this.etaAt(done), errors: this.snap.errors + (failed ? 1 : 0) }, false);
  }

  /** Sets how far the current phase is, for work counted in bulk rather than item by item. */
  setDone(done: number): void {
    this.set({ done, etaMs: this.etaAt(done) }, false);
  }

  /** Time left at `done`, from the pace of this phase so far (null until there is one). */
  private etaAt(done: number): number | null {
    const elapsed = this.now() - this.startedAt;
    const progressed = done - this.doneAtStart;
    return progressed > 0 && elapsed > 0
      ? Math.round((elapsed / progressed) * Math.max(0, this.snap.total - done))
      : null;
  }

  setTotal(total: number): void {
    this.set({ total }, false);
  }

  /** Ends (or resumes) the job; `say` words `message` for the UI ([Note: worded messages]). */
  finish(
    state: 'done' | 'failed' | 'cancelled' | 'paused' | 'running',
    message: string | null = null,
    say: MessageDto | null = null,
  ): void {
    const etaMs = state === 'running' ? this.snap.etaMs : null;
    this.set({ state, message, say, current: null, etaMs }, true);
  }

  private set(patch: Partial<Progress>, force: boolean): void {
    this.snap = { ...this.snap, ...patch };
    const t = this.now();
    if (force || t - this.lastEmit >= this.intervalMs || this.snap.done === this.snap.total) {
      this.lastEmit = t;
      this.emit('jobs.progress', this.snapshot());
    }
  }
}
