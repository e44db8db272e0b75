/** `visage cluster [--full]`: groups faces that have no person (names are never touched). */
import { ExitCode, type CliCommand } from '../command';

export const clusterCommand: CliCommand = {
  name: 'cluster',
  summary: 'Group faces without a person: new faces only, or all of them again with --full',
  usage: 'visage [--db PATH] cluster [--full] [--json]',
  options: { full: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ api, values, io }) {
    const r = await api['people.cluster']({ full: values.full === true });
    if (values.json) io.out(JSON.stringify(r));
    else
      io.out(
        `${r.mode === 'full' ? 'Regrouped' : 'Grouped'} ${r.faces} faces: ${r.groups} unnamed groups, ` +
          `${r.suggested} new suggestions (${r.ms} ms)`,
      );
    return ExitCode.ok;
  },
};
