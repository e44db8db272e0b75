/**
 * [Note: paths the API may touch] Which files a request may read when its caller is a UI (the desktop
 * app's renderer, or a browser in web mode, possibly on another device) rather than the person at the
 * terminal typing a `visage` command:
 * - an image path (search.byImage) must be an upload this engine stored for its client (app.uploadImage)
 *   or a file inside a library folder;
 * - a folder to read (people.labelFromFolders, head.eval) must be inside a library folder;
 * - adding a library folder is allowed only as an explicit, confirmed user action, and is logged.
 * Paths are compared after resolving symbolic links, so a link inside the library cannot point out of it,
 * and a refused path gets one answer whether or not it exists (nothing about the server's files leaks).
 * The CLI is trusted with any path: its user already reads every file the command could.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../api/contract';
import type { FoldersRepo } from '../catalog/folders-repo';

/** 'local': a person at the terminal (any path). 'ui': the app or web mode (the rules above). */
export type PathTrust = 'local' | 'ui';

export class PathRefused extends UserError {
  constructor(what: string) {
    super(what, 'bad_request');
    this.name = 'PathRefused';
  }
}

async function resolveReal(p: string): Promise<string> {
  const abs = path.resolve(p);
  try {
    return await realpath(abs);
  } catch {
    return abs; // does not exist (yet): judged by where it would be
  }
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

export class PathAccess {
  /** Real paths of the uploads this engine stored (the only uploads a UI caller may name). */
  private readonly uploads = new Set<string>();

  constructor(
    private readonly deps: {
      trust: PathTrust;
      folders: FoldersRepo;
      /** The engine's data folder: the audit log of folders added from a UI lives there. */
      home: string;
      log?: (line: string) => void;
    },
  ) {}

  get trust(): PathTrust {
    return this.deps.trust;
  }

  async rememberUpload(file: string): Promise<void> {
    this.uploads.add(await resolveReal(file));
  }

  private insideLibrary(real: string): boolean {
    return this.deps.folders.list().some((f) => inside(real, f.path));
  }

  /** An image a request reads: an upload of this engine's client, or a library file. */
  async image(p: string): Promise<void> {
    if (this.deps.trust === 'local') return;
    const real = await resolveReal(p);
    if (this.uploads.has(real) || this.insideLibrary(real)) return;
    throw new PathRefused(
      'That image is not one you uploaded or a photo in your library; drop or paste the image instead.',
    );
  }

  /** A folder a request reads: inside a library folder. */
  async folder(p: string, what: string): Promise<void> {
    if (this.deps.trust === 'local') return;
    if (this.insideLibrary(await resolveReal(p))) return;
    throw new PathRefused(`${what} must be a folder inside your library (add its parent folder first).`);
  }

  /** Adding a library folder from a UI: only as a confirmed user action, and written to the audit log. */
  folderAdded(p: string, confirmed: boolean): void {
    if (this.deps.trust === 'local') return;
    if (!confirmed) {
      throw new PathRefused(
        'Adding a library folder from the app or web mode must be confirmed by the user (confirmed: true).',
      );
    }
    const line = `${new Date().toISOString()} library.addFolder (confirmed by the user): ${path.resolve(p)}`;
    this.deps.log?.(`visage: ${line}`);
    try {
      mkdirSync(this.deps.home, { recursive: true });
      appendFileSync(path.join(this.deps.home, 'access.log'), `${line}\n`);
    } catch {
      // The stderr line above still records it.
    }
  }
}
