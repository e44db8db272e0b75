/**
 * Applies [Note: paths the API may touch] (library/path-access.ts) to the requests that take a path, in
 * the engine itself, so the desktop app, web mode and any other host get the same rules whatever their
 * transport checks. Features stay unaware of it: this wraps their handlers by request name.
 */
import type { Handlers } from '../api/contract';
import type { PathAccess } from './library/path-access';

export function guardPaths(h: Handlers, access: PathAccess): Handlers {
  if (access.trust === 'local') return h;
  return {
    ...h,
    'app.uploadImage': async (p) => {
      const reply = await h['app.uploadImage'](p);
      await access.rememberUpload(reply.path);
      return reply;
    },
    'search.byImage': async (p) => {
      await access.image(p.path);
      return h['search.byImage'](p);
    },
    'people.labelFromFolders': async (p) => {
      await access.folder(p.root, 'The folder of labelled people');
      return h['people.labelFromFolders'](p);
    },
    'head.eval': async (p) => {
      await access.folder(p.root, 'The evaluation folder');
      return h['head.eval'](p);
    },
    'library.addFolder': (p) => {
      access.folderAdded(p.path, p.confirmed);
      return h['library.addFolder'](p);
    },
  };
}
