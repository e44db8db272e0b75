/**
 * The library: folders in, photos scanned, faces indexed. Owns the one indexing run (scan every folder,
 * then analyse what is pending), its cancel/pause, and the lazily started vision workers.
 */
import { access, constants, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../api/contract';
import type { IndexSummary } from '../../api/library';
import type { Db } from '../catalog/database';
import type { FacesRepo } from '../catalog/faces-repo';
import type { FolderRow, FoldersRepo } from '../catalog/folders-repo';
import type { PhotosRepo } from '../catalog/photos-repo';
import type { ScanProblemsRepo } from '../catalog/scan-problems-repo';
import { retryBusy } from '../catalog/busy';
import type { SkippedFilesRepo } from '../catalog/skipped-files-repo';
import type { ProgressTracker } from '../jobs/progress';
import type { Analyser } from './analyser';
import { IndexJob, type IndexDeps } from './index-job';
import { emptyScanReport, Scanner } from './scanner';

export interface LibraryDeps {
  db: Db;
  folders: FoldersRepo;
  photos: PhotosRepo;
  faces: FacesRepo;
  scanProblems: ScanProblemsRepo;
  skippedFiles: SkippedFilesRepo;
  progress: ProgressTracker;
  /** An analyser for one run, with the indexing settings of that run. */
  makeAnalyser: (settings: IndexOptions) => Analyser;
  settings: () => IndexOptions;
  afterPhoto?: IndexDeps['afterPhoto'];
  /** Runs after each indexing run that stored faces (e.g. incremental grouping, recognition). */
  afterIndex?: () => void | Promise<void>;
}

export interface IndexOptions {
  minFaceSize: number;
  minScore: number;
}

export class LibraryService {
  private running: Promise<IndexSummary> | null = null;
  private controller: AbortController | null = null;
  private job: IndexJob | null = null;
  private rerun = false;

  constructor(private readonly deps: LibraryDeps) {}

  /**
   * A relative path would resolve against the engine's working folder, which is not the user's (web mode,
   * the desktop app): it is refused. `~` means the user's home. The CLI resolves relative paths against
   * the shell's folder itself before asking.
   */
  async addFolder(input: string): Promise<FolderRow> {
    const expanded =
      input === '~' || input.startsWith('~/') ? path.join(os.homedir(), input.slice(1)) : input;
    if (!path.isAbsolute(expanded))
      throw new UserError(
        `Give the folder's full path (starting with / or a drive letter), not "${input}"`,
        'bad_request',
        {
          key: 'err.relativeFolder',
          params: { path: input },
        },
      );
    const abs = path.resolve(expanded);
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new UserError(`Folder not found: ${abs}`, 'not_found', {
        key: 'err.folderMissing',
        params: { path: abs },
      });
    }
    if (!info.isDirectory())
      throw new UserError(`Not a folder: ${abs}`, 'bad_request', {
        key: 'err.notFolder',
        params: { path: abs },
      });
    try {
      await access(abs, constants.R_OK | constants.X_OK);
    } catch {
      throw new UserError(`Folder is not readable: ${abs}`, 'bad_request', {
        key: 'err.folderUnreadable',
        params: { path: abs },
      });
    }
    const real = await realpath(abs);
    const inside = this.deps.folders
      .list()
      .find((f) => real === f.path || real.startsWith(f.path + path.sep));
    if (inside) return inside; // already covered by a library folder
    return this.deps.folders.add(real);
  }

  removeFolder(id: number, confirm: boolean): { removed: boolean; photos: number; confirmedFaces: number } {
    const folder = this.deps.folders.get(id);
    if (!folder) throw new UserError(`No folder with id ${id}`, 'not_found');
    const confirmedFaces = this.deps.folders.confirmedFaces(id);
    const photos = this.deps.photos.inFolder(id).length;
    if (!confirm) return { removed: false, photos, confirmedFaces };
    this.deps.folders.remove(id);
    return { removed: true, photos, confirmedFaces };
  }

  /** Starts (or joins) an indexing run; a request during a run schedules one more pass. */
  index(): Promise<IndexSummary> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
      this.controller = null;
      this.job = null;
    });
    return this.running;
  }

  isRunning(): boolean {
    return this.running !== null;
  }

  cancel(): void {
    this.rerun = false;
    this.controller?.abort();
    this.job?.setPaused(false); // wake paused workers so they see the abort
  }

  setPaused(paused: boolean): void {
    this.job?.setPaused(paused);
  }

  async dispose(): Promise<void> {
    this.cancel();
    await this.running?.catch(() => undefined);
  }

  /** Whether a request arrived during the run (set from index(), which TS cannot see inside loop()). */
  private takeRerun(): boolean {
    const again = this.rerun;
    this.rerun = false;
    return again;
  }

  private async loop(): Promise<IndexSummary> {
    const summary: IndexSummary = { scan: emptyScanReport(), indexed: 0, failed: 0, state: 'done' };
    do {
      const controller = (this.controller = new AbortController());
      try {
        // Photos an earlier run failed only because another process held the catalog are retried.
        await retryBusy(() => this.deps.photos.requeueTransientFailures());
        this.deps.progress.start('scanning folders', this.deps.folders.list().length);
        const scanner = new Scanner(
          this.deps.db,
          this.deps.folders,
          this.deps.photos,
          this.deps.scanProblems,
          this.deps.skippedFiles,
        );
        for (const folder of this.deps.folders.list()) {
          const r = await scanner.scanFolder(folder.id, controller.signal);
          for (const k of [
            'added',
            'changed',
            'moved',
            'missing',
            'restored',
            'unchanged',
            'failed',
          ] as const) {
            summary.scan[k] += r[k];
          }
          summary.scan.problems.push(...r.problems);
          this.deps.progress.advance(folder.path);
        }
        summary.failed += summary.scan.failed;
        if (this.deps.photos.counts().pending > 0) {
          const analyser = this.deps.makeAnalyser(this.deps.settings());
          this.job = new IndexJob({ ...this.deps, analyser });
          await this.job.run(controller.signal);
          // This run's own work only: another process indexing the same catalog counts its own.
          summary.indexed += this.job.counts.indexed;
          summary.failed += this.job.counts.failed;
          if (this.job.systemicError) {
            summary.state = 'failed';
            summary.scan.problems.push({ path: '(engine)', error: this.job.systemicError });
            return summary;
          }
          if (!controller.signal.aborted) await this.deps.afterIndex?.();
        } else {
          this.deps.progress.finish('done', 'Nothing new to index');
        }
        if (controller.signal.aborted) {
          summary.state = 'cancelled';
          this.deps.progress.finish(
            'cancelled',
            'Cancelled; finished photos are kept and the rest resume later',
          );
          return summary;
        }
      } catch (err) {
        if (controller.signal.aborted) {
          summary.state = 'cancelled';
          this.deps.progress.finish('cancelled');
          return summary;
        }
        // The real cause goes into the summary, so `visage index` prints it instead of only "failed".
        const message = err instanceof Error ? err.message : String(err);
        summary.state = 'failed';
        summary.scan.problems.push({ path: '(engine)', error: message });
        this.deps.progress.finish('failed', message, { key: 'job.indexFailed', params: { reason: message } });
        return summary;
      }
    } while (this.takeRerun());
    return summary;
  }
}
