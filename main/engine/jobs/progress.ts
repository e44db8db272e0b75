/**
 * One progress snapshot per job, emitted as throttled `jobs.progress` events: at most every
 * `intervalMs`, plus immediately on every state change, so a UI never floods and never misses an end.
 *
 * [Note: honest ETA] The time before a phase's first item finishes is start-up (loading the models,
 * spinning up workers), not pace: counting it made the first ETA of a 12 s indexing run read 3m36s. So
 * the pace is measured from the first finished item on, no ETA is given until it rests on at least
 * `ETA_MIN_ITEMS` items and `ETA_MIN_MS` of work, and each new measure of the pace (time per item) moves
 * the one the ETA uses only part of the way, so a burst of quick failures or one slow photo does not make
 * the figure jump.
 */
import type { MessageDto } from '../../api/common';
import type { Progress } from '../../api/jobs';
import type { Emit } from '../../api/contract';

/** Items finished after the first one before an ETA is shown. */
export const ETA_MIN_ITEMS = 3;
/** Work measured (from the first finished item) before an ETA is shown. */
export const ETA_MIN_MS = 2000;
/** How far each new estimate moves the shown one (exponential smoothing). */
const ETA_SMOOTHING = 0.3;

export class ProgressTracker {
  private snap: Progress;
  private lastEmit = 0;
  /** Where the pace is measured from: the first item finished in this phase (null before it). */
  private paceFrom: { at: number; done: number } | null = null;
  /** The smoothed time per item behind the last ETA given (null before one). */
  private pace: number | null = null;

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
    this.resetPace();
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
    this.resetPace();
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

  private resetPace(): void {
    this.paceFrom = null;
    this.pace = null;
  }

  /** Time left at `done`, from this phase's pace since its first finished item ([Note: honest ETA]). */
  private etaAt(done: number): number | null {
    const t = this.now();
    if (!this.paceFrom) {
      this.paceFrom = { at: t, done };
      return null;
    }
    const elapsed = t - this.paceFrom.at;
    const progressed = done - this.paceFrom.done;
    if (progressed < ETA_MIN_ITEMS || elapsed < ETA_MIN_MS) return null;
    if (done >= this.snap.total) return 0;
    const pace = elapsed / progressed;
    this.pace = this.pace === null ? pace : this.pace + ETA_SMOOTHING * (pace - this.pace);
    return Math.round(this.pace * (this.snap.total - done));
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
