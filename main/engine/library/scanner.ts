/**
 * Reconciles a folder on disk with the catalog: new files are added (pending), changed files go back to
 * pending, files moved or renamed keep their row (found by content hash, so labels follow them), and
 * vanished files are marked missing — never deleted, so no label is lost.
 */
import { existsSync } from 'node:fs';
import type { Db } from '../catalog/database';
import type { FoldersRepo } from '../catalog/folders-repo';
import type { PhotoRow, PhotosRepo } from '../catalog/photos-repo';
import type { ScanProblemsRepo } from '../catalog/scan-problems-repo';
import type { SkippedFilesRepo } from '../catalog/skipped-files-repo';
import { hashFile, walkImages } from './walk';

export interface ScanReport {
  added: number;
  changed: number;
  moved: number;
  missing: number;
  restored: number;
  unchanged: number;
  /** Files found but not readable (recorded as failed photos with the reason). */
  failed: number;
  problems: { path: string; error: string }[];
}

export function emptyScanReport(): ScanReport {
  return { added: 0, changed: 0, moved: 0, missing: 0, restored: 0, unchanged: 0, failed: 0, problems: [] };
}

export class Scanner {
  constructor(
    private readonly db: Db,
    private readonly folders: FoldersRepo,
    private readonly photos: PhotosRepo,
    private readonly scanProblems: ScanProblemsRepo,
    private readonly skippedFiles: SkippedFilesRepo,
  ) {}

  async scanFolder(folderId: number, signal?: AbortSignal): Promise<ScanReport> {
    const folder = this.folders.get(folderId);
    if (!folder) throw new Error(`No folder with id ${folderId}`);
    const report = emptyScanReport();
    const { files, problems, skipped } = await walkImages(folder.path, signal);
    report.problems.push(...problems);
    // Entries the walk could not look at (unreadable folder, dangling link, loop) have no photo row to
    // carry their reason: they are stored on their own so status accounts for them.
    this.scanProblems.replaceForFolder(folderId, problems);
    // Files that are not photos are left out, and said so (the Library lists them by name).
    this.skippedFiles.replaceForFolder(folderId, skipped);
    const known = new Map(this.photos.inFolder(folderId).map((p) => [p.path, p]));
    const seen = new Set<string>();
    const fresh: typeof files = [];

    for (const f of files) {
      signal?.throwIfAborted();
      seen.add(f.path);
      const row = known.get(f.path) ?? this.photos.byPath(f.path);
      if (!row) {
        fresh.push(f);
        continue;
      }
      const statSame = row.size === f.size && row.mtimeMs === f.mtimeMs;
      if (statSame && row.status !== 'missing' && row.hash !== null) {
        report.unchanged++;
        continue;
      }
      const hash = await this.hash(f.path, report);
      if (hash === null) {
        this.photos.insertFailed(folderId, f.path, f.size, f.mtimeMs, report.problems.at(-1)!.error);
        report.failed++;
        continue;
      }
      if (hash === row.hash) {
        this.photos.touch(row.id, f.size, f.mtimeMs);
        if (row.status === 'missing') {
          this.photos.restore(row.id);
          report.restored++;
        } else report.unchanged++;
      } else {
        this.photos.markChanged(row.id, f.size, f.mtimeMs, hash);
        report.changed++;
      }
    }

    // Files that vanished from this folder in this scan are move candidates for the fresh ones.
    for (const row of known.values()) {
      if (!seen.has(row.path) && row.status !== 'missing') {
        this.photos.markMissing(row.id, 'file not found at last scan');
        report.missing++;
      }
    }
    for (const f of fresh) {
      signal?.throwIfAborted();
      const hash = await this.hash(f.path, report);
      if (hash === null) {
        this.photos.insertFailed(folderId, f.path, f.size, f.mtimeMs, report.problems.at(-1)!.error);
        report.failed++;
        continue;
      }
      this.db.transaction(() => {
        // Looked up inside the write transaction: another process scanning at the same time sees this
        // scan's result and this one sees theirs. [Note: many writers]
        const moved = this.moveCandidate(hash, f.path);
        if (moved) {
          this.photos.move(moved.id, folderId, f.path, f.size, f.mtimeMs);
          report.moved++;
          if (moved.folderId === folderId && moved.status === 'missing' && report.missing > 0)
            report.missing--;
        } else if (this.photos.insert(folderId, f.path, f.size, f.mtimeMs, hash) !== null) {
          report.added++;
        } else report.unchanged++; // another process added it a moment ago
      })();
    }
    this.folders.markScanned(folderId);
    return report;
  }

  /**
   * The row a new file was moved from: same content, and its file is gone (marked missing, or not there
   * any more although not yet marked: a move between two library folders is seen from the new one first).
   */
  private moveCandidate(hash: string, newPath: string): PhotoRow | undefined {
    return this.photos
      .byHash(hash)
      .find((p) => p.path !== newPath && (p.status === 'missing' || !existsSync(p.path)));
  }

  private async hash(file: string, report: ScanReport): Promise<string | null> {
    try {
      return await hashFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'vanished during the scan'
          : code === 'EACCES'
            ? 'permission denied'
            : String(err);
      report.problems.push({ path: file, error: why });
      return null;
    }
  }
}
