/**
 * The engine's answers to the app.* and images.* requests (main/api/app.ts). Host-specific requests get
 * honest defaults here (the CLI has no folder dialog); the Electron main process and the web server
 * override them with what their shell can do.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { uiPrefsSchema, type appRequests, type UiPrefs } from '../api/app';
import { UserError, type Handlers } from '../api/contract';
import { appRoot } from './app-root';
import { FacesRepo } from './catalog/faces-repo';
import { FoldersRepo } from './catalog/folders-repo';
import { PhotosRepo } from './catalog/photos-repo';
import { SettingsRepo } from './catalog/settings-repo';
import type { EngineContext } from './context';
import { thumbnailCacheDir } from './library/image-access';
import { ThumbnailService } from './library/thumbnails';
import { storeUpload } from './library/uploads';

const pkg = JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string };

export function createAppFeature(ctx: EngineContext): { handlers: Pick<Handlers, keyof typeof appRequests> } {
  const thumbnails = new ThumbnailService({
    photos: new PhotosRepo(ctx.db),
    faces: new FacesRepo(ctx.db),
    folders: new FoldersRepo(ctx.db),
    cacheDir: thumbnailCacheDir(ctx.home),
  });
  // [Note: display preferences] Stored as ui.* settings rows; a bad row reads as "never chosen".
  const uiSettings = new SettingsRepo(ctx.db, 'ui.');
  const readPrefs = (): UiPrefs => {
    const all = uiSettings.all();
    const language = uiPrefsSchema.shape.language.safeParse(all.language ?? null);
    const theme = uiPrefsSchema.shape.theme.safeParse(all.theme ?? null);
    return {
      language: language.success ? language.data : null,
      theme: theme.success ? theme.data : null,
    };
  };
  const desktopOnly = (what: string): never => {
    throw new UserError(`${what} needs the desktop app.`, 'bad_request');
  };
  return {
    handlers: {
      'app.info': () => ({
        shell: 'cli',
        version: pkg.version,
        platform: process.platform,
        canPickFolder: false,
        canOpenFiles: false,
      }),
      'app.prefs': () => readPrefs(),
      'app.setPrefs': (changes) => {
        for (const key of ['language', 'theme'] as const) {
          const value = changes[key];
          if (value === undefined) continue;
          if (value === null) uiSettings.reset(key);
          else uiSettings.set(key, value);
        }
        return readPrefs();
      },
      'app.pickFolder': () => desktopOnly('The folder dialog'),
      'app.openPhoto': () => desktopOnly('Opening a photo in the system viewer'),
      'app.uploadImage': async ({ data }) => ({ path: await storeUpload(ctx.home, data) }),
      'images.file': ({ kind, id }) => thumbnails.file(kind, id),
    },
  };
}
