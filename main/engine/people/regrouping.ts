/**
 * Keeps grouping current without making edits wait for it: after an edit or an indexing run, one
 * incremental grouping run is scheduled (several requests in a row coalesce into one), followed by
 * `afterGrouped` (recognition: names follow the groups and the labels, see [Note: calibrated
 * recognition]). Reads that depend on groups (groups, suggestions, a person's faces) call flush() first,
 * so every answer reflects every edit before it; closing the engine flushes too, so a CLI command's
 * edit is grouped before it exits.
 */
import type { ProgressTracker } from '../jobs/progress';
import type { ClusterRunSummary, ClusterService } from './cluster-service';

export class Regrouping {
  private pending: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly service: ClusterService,
    private readonly progress: ProgressTracker,
    private readonly afterGrouped: () => Promise<unknown> = () => Promise.resolve(),
  ) {}

  /** Runs now (in the caller's turn), reporting progress; waits for a scheduled run first. */
  async run(full: boolean): Promise<ClusterRunSummary> {
    await this.flush();
    const summary = this.runNow(full);
    await this.followUp();
    return summary;
  }

  private async followUp(): Promise<void> {
    try {
      await this.afterGrouped();
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
    }
  }

  private runNow(full: boolean): ClusterRunSummary {
    this.progress.start(full ? 'grouping all faces' : 'grouping new faces', 1);
    try {
      const summary = full ? this.service.full() : this.service.incremental();
      this.progress.advance(null);
      this.progress.finish('done', `${summary.groups} groups, ${summary.suggested} new suggestions`);
      this.lastError = null;
      return summary;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.progress.finish('failed', this.lastError);
      throw err;
    }
  }

  schedule(): void {
    this.pending ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        let grouped = false;
        try {
          this.runNow(false);
          grouped = true;
        } catch {
          // Reported through the progress snapshot; the next edit schedules another run.
        }
        void (grouped ? this.followUp() : Promise.resolve()).finally(() => {
          this.pending = null;
          resolve();
        });
      });
    });
  }

  async flush(): Promise<void> {
    while (this.pending) await this.pending;
  }

  get error(): string | null {
    return this.lastError;
  }
}
