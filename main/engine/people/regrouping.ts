/**
 * Keeps grouping current without making edits wait for it: after an edit or an indexing run, one
 * incremental grouping run is scheduled (several requests in a row coalesce into one). Incremental runs
 * touch only the groups near the faces that changed (cluster-incremental.ts), so they stay short; reads
 * that depend on groups (groups, suggestions, a person's faces) call flush() first, so every answer
 * reflects every edit before it; closing the engine flushes too, so a CLI command's edit is grouped
 * before it exits.
 * A full re-group is computed on a worker thread (cluster-job.ts) and written here in short chunks, as
 * the 'cluster' job: progress in the job snapshot, cancellable through jobs.cancel (before or while it
 * writes), and neither reads nor edits wait for it (flush() does not).
 * When it ends, an incremental run places the faces edits changed meanwhile.
 * [Note: recognition follows grouping] Every incremental run is followed by `afterGrouped` (recognition:
 * names follow the groups and the labels, see [Note: calibrated recognition]), one run at a time, runs
 * requested meanwhile coalescing into one more. Recognition decides over every undecided face, so at
 * library scale it takes tens of seconds. It reads the catalog on the head worker's own connection
 * ([Note: recognition reads off the serving thread], head-service.ts), so requests are served while it
 * runs; only the write of its names holds this thread. Reads of groups and of the people list wait only for grouping
 * (flush()), and so does a person's page (it reloads when recognition ends); the review queue and
 * exported labels wait for it too (flushAll()). The recognition run is reported as the 'recognise' job, not
 * as 'cluster': the app's status said "Grouping faces…" for the minute recognition took after a few
 * milliseconds of grouping. Views reload when either ends.
 */
import type { ProgressTracker } from '../jobs/progress';
import { planFullInWorker } from './cluster-job';
import { GroupingCancelled, WRITE_CHUNK_MS, type ClusterService } from './cluster-service';
import { summarise, type ClusterRunSummary, type GroupingPlan, type WriteTally } from './grouping-plan';
import type { PeopleSettings } from './settings';

/** [Note: bulk grouping in the background]: this many new faces always go to the full re-group job… */
const BULK_FACES = 5_000;
/** …and from this many, when they are this share of all faces. */
const BULK_MIN_FACES = 500;
const BULK_SHARE = 0.25;
/** A warm-up slice's length: about a write chunk's ([Note: grouping writes in chunks]). */
const WARM_SLICE_MS = 25;

export interface RegroupingOptions {
  /** The catalog file, for the worker's own connection; null runs a full re-group in-process (tests, :memory:). */
  dbPath: string | null;
  settings: () => PeopleSettings;
  /** Runs after every incremental grouping run (recognition). */
  afterGrouped?: () => Promise<unknown>;
  /** Where that recognition run reports (the 'recognise' job); absent, it runs unreported. */
  recognition?: ProgressTracker;
}

export class Regrouping {
  private pending: Promise<void> | null = null;
  private recognising: Promise<void> | null = null;
  /** Recognition runs asked for; a run that ends with more asked than when it started runs again. */
  private recognitionsAsked = 0;
  private lastError: string | null = null;
  private full: { promise: Promise<ClusterRunSummary>; abort: AbortController } | null = null;
  private warming: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly service: ClusterService,
    private readonly progress: ProgressTracker,
    private readonly options: RegroupingOptions,
  ) {}

  /**
   * [Note: bulk grouping in the background] An incremental run places faces one by one on this thread:
   * right for an edit's few faces, but the first index of a large library (or a catalog filled by
   * another process) brings tens of thousands at once, and placing them here would freeze the app for
   * minutes. Then the full re-group job (its worker, chunked writes, progress, cancel) groups them
   * instead; the incremental run after it places whatever changed meanwhile.
   */
  private isBulk(): boolean {
    if (this.options.dbPath === null) return false;
    const { fresh, total } = this.service.pending();
    return fresh >= BULK_FACES || (fresh >= BULK_MIN_FACES && fresh >= total * BULK_SHARE);
  }

  /** Runs now: a full re-group as a background job (joins one already running), or an incremental run. */
  async run(full: boolean): Promise<ClusterRunSummary> {
    if (full) return this.startFull();
    await this.flush();
    if (this.isBulk()) {
      const summary = await this.startFull(); // joins one already running
      await this.flushAll();
      return summary;
    }
    const summary = this.runNow(false);
    // An explicit run (`visage cluster`, the API) returns when the names have followed too.
    this.recogniseSoon();
    await this.flushAll();
    return summary;
  }

  /** Starts a recognition run, or asks the running one for another after it: [Note: recognition follows grouping]. */
  private recogniseSoon(): void {
    const after = this.options.afterGrouped;
    if (!after) return;
    this.recognitionsAsked++;
    if (this.recognising) return;
    this.recognising = (async () => {
      let asked: number;
      const progress = this.options.recognition;
      do {
        asked = this.recognitionsAsked;
        progress?.start('recognising faces', 1);
        try {
          await after();
          progress?.finish('done', null);
        } catch (err) {
          this.lastError = err instanceof Error ? err.message : String(err);
          progress?.finish('failed', this.lastError);
        }
      } while (this.recognitionsAsked !== asked);
    })().finally(() => {
      this.recognising = null;
    });
  }

  /** Stops a running full re-group; what it has not written yet is not written. */
  cancel(): void {
    this.full?.abort.abort();
  }

  get running(): boolean {
    return this.full !== null;
  }

  private startFull(): Promise<ClusterRunSummary> {
    if (this.full) return this.full.promise;
    const { dbPath } = this.options;
    if (dbPath === null) return this.flush().then(() => this.runNow(true));
    const abort = new AbortController();
    this.progress.start('grouping all faces', 1);
    const promise = planFullInWorker(dbPath, this.options.settings(), {
      signal: abort.signal,
      onProgress: (phase, done, total) => {
        this.progress.phase(phase, total);
        if (done > 0) this.progress.setDone(done);
      },
    })
      .then((plan) => this.writeInChunks(plan, abort.signal))
      .then(
        (summary) => {
          this.lastError = null;
          this.progress.finish('done', `${summary.groups} groups, ${summary.suggested} new suggestions`);
          return summary;
        },
        (err: unknown) => {
          if (err instanceof GroupingCancelled) this.progress.finish('cancelled', err.message);
          else {
            this.lastError = err instanceof Error ? err.message : String(err);
            this.progress.finish('failed', this.lastError);
          }
          throw err;
        },
      )
      .finally(() => {
        this.full = null;
        this.schedule(true); // faces edited while the worker ran (a cancelled bulk waits for the next ask)
        this.warmSoon();
      });
    this.full = { promise, abort };
    return promise;
  }

  /** Writes a plan a chunk at a time, letting requests in between: [Note: grouping writes in chunks]. */
  private async writeInChunks(plan: GroupingPlan, signal: AbortSignal): Promise<ClusterRunSummary> {
    const tally: WriteTally = { placed: 0, suggested: 0, skipped: 0 };
    this.progress.phase('writing groups', plan.rows.length);
    for (let at = 0; at < plan.rows.length;) {
      if (signal.aborted) throw new GroupingCancelled();
      at = this.service.writeChunk(plan, at, WRITE_CHUNK_MS, tally);
      this.progress.setDone(at);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.service.fullWritten(plan);
    return summarise(plan, tally);
  }

  /**
   * [Note: warming the grouping state] Summaries and the index of group means are computed a slice at a
   * time between requests after the state is read (start-up, a full re-group), so the first edit does
   * not pay for them. Catalogs on disk only (the app); stops when the engine closes.
   */
  warmSoon(): void {
    if (this.options.dbPath === null || this.warming || this.closed) return;
    this.warming = (async () => {
      try {
        // Not while a full re-group runs: its writes change every group, and it warms again when done.
        do await new Promise<void>((resolve) => setImmediate(resolve));
        while (!this.closed && !this.full && !this.service.warm(WARM_SLICE_MS));
      } catch {
        // Derived data: a run that needs it computes it (and reports its own failure).
      }
    })().finally(() => {
      this.warming = null;
    });
  }

  private runNow(full: boolean): ClusterRunSummary {
    // While a full re-group runs, the job's snapshot is its own; incremental runs stay silent.
    const report = !this.full;
    if (report) this.progress.start(full ? 'grouping all faces' : 'grouping new faces', 1);
    try {
      const summary = full ? this.service.full() : this.service.incremental();
      if (report) {
        this.progress.advance(null);
        this.progress.finish('done', `${summary.groups} groups, ${summary.suggested} new suggestions`);
      }
      this.lastError = null;
      return summary;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      if (report) this.progress.finish('failed', this.lastError);
      throw err;
    }
  }

  /** Schedules an incremental run; `afterFull`: the run that follows a full re-group (never bulk again). */
  schedule(afterFull = false): void {
    this.pending ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        // A bulk waits for the full re-group: one running covers it; after one ended (a cancel leaves
        // the faces ungrouped) none is started again until the next edit or index run asks.
        if (this.isBulk()) {
          this.pending = null;
          resolve();
          if (!afterFull && !this.full) this.startFull().catch(() => undefined); // reported in the job's snapshot
          return;
        }
        let grouped = false;
        try {
          this.runNow(false);
          grouped = true;
        } catch {
          // Reported through the progress snapshot; the next edit schedules another run.
        }
        if (grouped) this.recogniseSoon();
        this.pending = null;
        resolve();
      });
    });
  }

  /** Waits for scheduled incremental runs (not for a full re-group: reads never wait for it). */
  async flush(): Promise<void> {
    while (this.pending) await this.pending;
  }

  /** Waits for scheduled grouping and the recognition after it: [Note: recognition follows grouping]. */
  async flushAll(): Promise<void> {
    while (this.pending || this.recognising) {
      await this.flush();
      if (this.recognising) await this.recognising;
    }
  }

  /** Waits for everything, a running full re-group included (closing the engine); stops warming. */
  async settle(): Promise<void> {
    this.closed = true;
    if (this.full) await this.full.promise.catch(() => undefined);
    await this.flushAll();
    await this.warming;
  }

  get error(): string | null {
    return this.lastError;
  }
}
