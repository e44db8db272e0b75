/**
 * Long-running jobs register here (indexing, grouping, training, recognition) so `jobs.status`,
 * `jobs.cancel` and `jobs.pause` reach every one of them through one place.
 */
import type { Progress } from '../../api/jobs';

export interface JobControl {
  snapshot(): Progress;
  cancel(): void;
  /** Absent when the job cannot pause (it can still be cancelled). */
  setPaused?(paused: boolean): void;
}

export class JobRegistry {
  private readonly jobs = new Map<Progress['job'], JobControl>();

  register(kind: Progress['job'], control: JobControl): void {
    this.jobs.set(kind, control);
  }

  get(kind: Progress['job']): JobControl | undefined {
    return this.jobs.get(kind);
  }

  snapshots(): Progress[] {
    return [...this.jobs.values()].map((j) => j.snapshot());
  }
}
