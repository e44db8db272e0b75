/**
 * What the desktop host answers itself instead of the engine (main/api/app.ts): app.info, the native folder
 * dialog, and opening a photo in the system viewer or its folder. The photo's path comes from the engine and
 * passes the image allow-list first, so "open" can never be pointed at a file outside the library.
 */
import type { Handlers, VisageApi } from '../api/contract';
import { UserError } from '../api/contract';
import { allowedImageFile } from '../engine/library/image-access';

export interface DesktopShell {
  version: string;
  pickFolder(): Promise<string | null>;
  /** Opens with the default app; resolves to an error message, '' on success (Electron's convention). */
  openPath(path: string): Promise<string>;
  showItemInFolder(path: string): void;
}

export function desktopHandlers(
  api: VisageApi,
  shell: DesktopShell,
): Pick<Handlers, 'app.info' | 'app.pickFolder' | 'app.openPhoto'> {
  return {
    'app.info': () => ({
      shell: 'electron',
      version: shell.version,
      platform: process.platform,
      canPickFolder: true,
      canOpenFiles: true,
    }),
    'app.pickFolder': async () => ({ path: await shell.pickFolder() }),
    'app.openPhoto': async ({ photoId, reveal }) => {
      const file = await api['images.file']({ kind: 'photo', id: photoId });
      const folders = await api['library.folders']({});
      const real = await allowedImageFile(
        file.path,
        folders.map((f) => f.path),
      );
      if (reveal) shell.showItemInFolder(real);
      else {
        const error = await shell.openPath(real);
        if (error) throw new UserError(`Could not open the photo: ${error}`);
      }
      return { ok: true as const };
    },
  };
}
