/**
 * The indexing job: every pending photo → analyse in the vision workers → store faces and mark done, one
 * transaction per photo so a crash or kill loses at most the photos in flight, and a restart resumes with
 * exactly the photos still pending. A photo that fails is recorded with its reason and never stops the job.
 * Another process may index the same catalog at the same time [Note: many writers]: a photo it finished
 * first is skipped, and a catalog lock that outlasts the retries leaves the photo pending for the next run,
 * never failed.
 */
import type { MessageDto } from '../../api/common';
import { isBusy, retryBusy } from '../catalog/busy';
import type { Db } from '../catalog/database';
import type { FacesRepo } from '../catalog/faces-repo';
import type { PhotosRepo } from '../catalog/photos-repo';
import type { ProgressTracker } from '../jobs/progress';
import type { Analyser } from './analyser';
import { VisionWorkerCrash } from '../vision/vision-pool';
import { DecodeError } from '../vision/decode';
import { sidecarOrientation } from './sidecars';
import { readTakenAt } from './taken-at';

export interface IndexDeps {
  db: Db;
  photos: PhotosRepo;
  faces: FacesRepo;
  analyser: Analyser;
  progress: ProgressTracker;
  /** Called after a photo's faces are stored (XMP import, incremental grouping). */
  afterPhoto?: (photoId: number, faceIds: number[]) => void | Promise<void>;
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A photo's own fault (bad file, or it crashed the decoder): recorded on the photo, the job goes on. */
function isPhotoFault(err: unknown): boolean {
  return err instanceof DecodeError || err instanceof VisionWorkerCrash;
}

/**
 * The same unexplained error on this many photos in a row is the engine's fault (a model file deleted, a
 * broken install), not the photos': the run stops with that message and those photos stay pending.
 */
const SYSTEMIC_AFTER = 3;

export class IndexJob {
  private paused = false;
  private streak: { message: string; ids: number[] } = { message: '', ids: [] };
  /** Set when the run stopped on a systemic error. */
  systemicError: string | null = null;
  /** The same, worded by the UI. */
  private systemicSay: MessageDto | null = null;
  /** This run's own work (not another process's): photos stored, photos marked failed, photos left pending. */
  readonly counts = { indexed: 0, failed: 0, deferred: 0 };
  private resumeWaiters: (() => void)[] = [];

  constructor(private readonly deps: IndexDeps) {}

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.deps.progress.finish(paused ? 'paused' : 'running');
    if (!paused) for (const w of this.resumeWaiters.splice(0)) w();
  }

  /** Processes pending photos until none are left or the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { photos, progress, analyser } = this.deps;
    const queue = photos.pendingIds();
    progress.start('analysing faces', queue.length);
    const worker = async (signal: AbortSignal): Promise<void> => {
      for (;;) {
        if (signal.aborted) return;
        if (this.paused) await new Promise<void>((r) => this.resumeWaiters.push(r));
        const id = queue.shift();
        if (id === undefined) return;
        await this.indexOne(id, signal);
      }
    };
    const inner = new AbortController();
    const onAbort = () => {
      inner.abort();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.stop = () => {
      inner.abort();
    };
    try {
      await Promise.all(
        Array.from({ length: Math.max(1, analyser.concurrency) }, () => worker(inner.signal)),
      );
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (this.systemicError) {
      progress.finish('failed', this.systemicError, this.systemicSay);
      return;
    }
    // Pending photos added while this ran (a rescan during indexing) are picked up by the next run.
    progress.finish(signal.aborted ? 'cancelled' : 'done');
  }

  private stop: () => void = () => undefined;

  private async indexOne(id: number, signal: AbortSignal): Promise<void> {
    const { db, photos, faces, analyser, progress } = this.deps;
    const photo = photos.get(id);
    if (photo?.status !== 'pending') return;
    try {
      const orientation = await sidecarOrientation(photo.path);
      const [analysis, takenAt] = await Promise.all([
        analyser.analyse(photo.path, signal, orientation === null ? {} : { orientation }),
        readTakenAt(photo.path),
      ]);
      if (signal.aborted) return; // leave it pending: the next run redoes it
      const faceIds = await retryBusy(() =>
        db.transaction(() => {
          // Another process may have stored this photo while it was being analysed: theirs stands.
          if (photos.get(id)?.status !== 'pending') return null;
          const ids = faces.replaceDetected(id, analysis.faces, analysis.modelId);
          photos.setDone(
            id,
            {
              width: analysis.width,
              height: analysis.height,
              orientation: analysis.orientation,
              takenAt,
              warning: analysis.warnings?.join('; ') || null,
            },
            analysis.modelId,
          );
          return ids;
        })(),
      );
      this.streak = { message: '', ids: [] };
      if (faceIds === null) {
        progress.advance(photo.path);
        return;
      }
      this.counts.indexed++;
      const after = this.deps.afterPhoto;
      try {
        if (after) await retryBusy(() => after(id, faceIds));
      } catch (err) {
        // The photo's faces are stored: what follows (XMP names) costs only itself, as a warning.
        photos.setWarning(id, describeError(err));
      }
      progress.advance(photo.path);
    } catch (err) {
      if (signal.aborted) return;
      if (isBusy(err)) {
        // The catalog stayed locked by another process: not this photo's fault, it stays pending.
        this.counts.deferred++;
        progress.advance(photo.path);
        return;
      }
      const message = describeError(err);
      try {
        await retryBusy(() => {
          photos.setFailed(id, message);
        });
      } catch (e) {
        if (!isBusy(e)) throw e;
        this.counts.deferred++;
        progress.advance(photo.path);
        return;
      }
      this.counts.failed++;
      progress.advance(photo.path, true);
      if (isPhotoFault(err)) return;
      this.streak =
        message === this.streak.message ? { message, ids: [...this.streak.ids, id] } : { message, ids: [id] };
      if (this.streak.ids.length >= SYSTEMIC_AFTER) {
        for (const sid of this.streak.ids) photos.markPending(sid);
        this.counts.failed -= this.streak.ids.length;
        this.systemicError = `Indexing stopped: ${message}`;
        this.systemicSay = {
          key: 'job.indexStopped',
          params: { n: this.streak.ids.length, reason: message },
        };
        this.stop();
      }
    }
  }
}
