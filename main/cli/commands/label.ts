/**
 * `visage label --face ID --person NAME` names one face, `--group ID` every face of an unnamed group (as
 * listed by `visage people`); `visage label --from-folders ROOT` labels a
 * folder-per-person tree: ROOT joins the library if it is not in it, is indexed, and each photo's main
 * face is confirmed as its folder's person.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, type CliCommand } from '../command';
import { faceId } from './face-id';

export const labelCommand: CliCommand = {
  name: 'label',
  summary:
    'Name a face (--face ID) or a group (--group ID) --person NAME, or label from folders named after people',
  usage: 'visage [--db PATH] label ((--face ID | --group ID) --person NAME | --from-folders ROOT) [--json]',
  options: {
    face: { type: 'string' },
    group: { type: 'string' },
    person: { type: 'string' },
    'from-folders': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ api, values, io }) {
    const root = values['from-folders'];
    if (typeof root === 'string') {
      let real: string;
      try {
        real = await realpath(path.resolve(root));
      } catch {
        io.err(`visage label: folder not found: ${root}`);
        return ExitCode.usage;
      }
      const folders = await api['library.folders']({});
      if (!folders.some((f) => real === f.path || real.startsWith(f.path + path.sep))) {
        await api['library.addFolder']({ path: real, index: false });
        io.err(`Added ${real} to the library.`);
      }
      io.err('Indexing…');
      const indexed = await api['library.rescan']({ wait: true });
      if (indexed.failed > 0) io.err(`${indexed.failed} photos could not be read (see visage status).`);
      const r = await api['people.labelFromFolders']({ root: real });
      if (values.json) io.out(JSON.stringify(r));
      else {
        io.out(`Labelled ${r.labelled} faces of ${r.people} people.`);
        if (r.noFace.length > 0) io.out(`No face found in ${r.noFace.length} photos, e.g. ${r.noFace[0]}`);
        if (r.notIndexed > 0) io.out(`${r.notIndexed} images are not indexed (unreadable or still pending).`);
        for (const c of r.conflicts) io.out(`  kept: ${c}`);
      }
      return ExitCode.ok;
    }
    const byGroup = values.group !== undefined;
    const id = faceId(byGroup ? values.group : values.face);
    if (
      id === null ||
      (byGroup && values.face !== undefined) ||
      typeof values.person !== 'string' ||
      !values.person.trim()
    ) {
      io.err('visage label: needs --face ID or --group ID, with --person NAME; or --from-folders ROOT');
      return ExitCode.usage;
    }
    const r = await api['people.name'](
      byGroup ? { group: id, person: values.person } : { faceIds: [id], person: values.person },
    );
    io.out(values.json ? JSON.stringify(r) : r.summary);
    return ExitCode.ok;
  },
};
