/** Handlers of the library.* requests: wires repositories into the library service. */
import type { Handlers } from '../../api/contract';
import type { libraryRequests, StatusDto } from '../../api/library';
import { UserError } from '../../api/contract';
import { FacesRepo } from '../catalog/faces-repo';
import { FoldersRepo, type FolderRow } from '../catalog/folders-repo';
import { PeopleRepo } from '../catalog/people-repo';
import { PhotosRepo } from '../catalog/photos-repo';
import { ScanProblemsRepo } from '../catalog/scan-problems-repo';
import { SkippedFilesRepo } from '../catalog/skipped-files-repo';
import { failureReason } from './failure-reason';
import type { Disposable, EngineContext } from '../context';
import { ProgressTracker } from '../jobs/progress';
import { modelFor, modelRoleSchema } from '../vision/model-manifest';
import { visionPlan } from '../vision/vision-plan';
import type { Analyser } from './analyser';
import { FaceListing } from '../catalog/face-listing-repo';
import { indexSettingSpecs } from './index-settings';
import { emptyScanReport } from './scanner';
import { LibraryService, type IndexOptions, type LibraryDeps } from './library-service';
import { SettingsRepo } from '../catalog/settings-repo';
import { NumericSettings } from '../settings/numeric-settings';

export interface LibraryHooks {
  makeAnalyser: (settings: IndexOptions) => Analyser;
  afterPhoto?: LibraryDeps['afterPhoto'];
  afterIndex?: LibraryDeps['afterIndex'];
  /** The execution provider the vision workers use, once known. */
  executionProvider?: () => string | null;
  /** Worker threads and ORT threads the vision pool uses (or will use) on this machine. */
  visionPlan?: () => StatusDto['vision'];
}

/** Skipped files named in the status (the rest are counted): enough to recognise them, never a flood. */
const SKIPPED_LISTED = 20;

const folderDto = (f: FolderRow) => ({
  id: f.id,
  path: f.path,
  photos: f.photos,
  unreadable: f.unreadable,
  lastScanAt: f.lastScanAt,
});

export function createLibraryFeature(
  ctx: EngineContext,
  disposables: Disposable[],
  hooks: LibraryHooks,
): { handlers: Pick<Handlers, keyof typeof libraryRequests> } {
  const folders = new FoldersRepo(ctx.db);
  const photos = new PhotosRepo(ctx.db);
  const faces = new FacesRepo(ctx.db);
  const scanProblems = new ScanProblemsRepo(ctx.db);
  const skippedFiles = new SkippedFilesRepo(ctx.db);
  const peopleRepo = new PeopleRepo(ctx.db);
  const listing = new FaceListing(ctx.db);
  const progress = new ProgressTracker('index', ctx.emit);
  const settings = new NumericSettings(indexSettingSpecs, new SettingsRepo(ctx.db, 'index.setting.'));
  // The provider the vision workers reported last, kept in the catalog so Settings and `visage status`
  // can name it after a restart too (before any photo is analysed it is unknown, and said so).
  const engineInfo = new SettingsRepo(ctx.db, 'engine.');
  let provider = (engineInfo.all().provider as string | undefined) ?? null;
  const remember = (p: string | null | undefined): void => {
    if (!p || p === provider) return;
    provider = p;
    engineInfo.set('provider', p);
  };
  const service = new LibraryService({
    db: ctx.db,
    folders,
    photos,
    faces,
    scanProblems,
    skippedFiles,
    progress,
    settings: () => settings.read(),
    ...hooks,
    makeAnalyser: (options) => {
      const analyser = hooks.makeAnalyser(options);
      return {
        concurrency: analyser.concurrency,
        dispose: () => analyser.dispose(),
        // Passes everything through (a sidecar's orientation among it): it only notes the provider.
        analyse: async (path, signal, options) => {
          const result = await analyser.analyse(path, signal, options);
          remember(result.provider);
          return result;
        },
      };
    },
  });
  disposables.push(service);
  ctx.jobs.register('index', {
    snapshot: () => progress.snapshot(),
    cancel: () => {
      service.cancel();
    },
    setPaused: (p) => {
      service.setPaused(p);
    },
  });
  const background = (): void => {
    // Errors surface through the progress snapshot (state 'failed' with a message).
    service.index().catch(() => undefined);
  };

  return {
    handlers: {
      'library.addFolder': async ({ path, index }) => {
        const folder = await service.addFolder(path);
        if (index) background();
        return folderDto(folder);
      },
      'library.removeFolder': ({ id, confirm }) => {
        if (service.isRunning() && confirm)
          throw new UserError('Cancel indexing before removing a folder', 'conflict');
        return service.removeFolder(id, confirm);
      },
      'library.folders': () => folders.list().map(folderDto),
      'library.rescan': async ({ wait }) => {
        if (wait) return service.index();
        background();
        return {
          scan: emptyScanReport(),
          indexed: 0,
          failed: 0,
          state: 'started' as const,
        };
      },
      'library.status': () => {
        const counts = photos.counts();
        const people = peopleRepo.countLive();
        return {
          folders: folders.list().length,
          photos: counts,
          faces: faces.count(),
          people,
          // Every entry a scan saw and could not use: failed and missing photos, and scan problems.
          errors: [...scanProblems.list(), ...photos.errors()]
            .sort((a, b) => a.path.localeCompare(b.path))
            .map((e) => ({ ...e, reason: failureReason(e.error) })),
          damaged: photos.damaged(),
          warnings: photos.warnings(),
          skipped: skippedFiles.sample(SKIPPED_LISTED),
          executionProvider: hooks.executionProvider?.() ?? provider,
          models: modelRoleSchema.options.map((role) => ({ id: modelFor(role).id, role })),
          vision: hooks.visionPlan?.() ?? visionPlan(),
        };
      },
      'library.photos': ({ offset, limit }) => {
        const page = photos.page(offset, limit);
        return {
          total: page.total,
          items: page.items.map((p) => ({
            id: p.id,
            path: p.path,
            width: p.width,
            height: p.height,
            takenAt: p.takenAt,
            fileTime: p.mtimeMs,
            status: p.status,
            error: p.error,
            faces: p.faces,
          })),
        };
      },
      'library.faces': ({ offset, limit, embeddings }) => listing.page(offset, limit, embeddings),
      'library.photoFaces': ({ photoId }) => listing.forPhoto(photoId),
      'library.settings': () => settings.list(),
      'library.setSetting': ({ key, value }) => settings.set(key, value),
    },
  };
}
