/** `visage confirm ID…`: "yes" to the suggestions of these faces. */
import { ExitCode, type CliCommand } from '../command';
import { faceId } from './face-id';

export const confirmCommand: CliCommand = {
  name: 'confirm',
  summary: 'Confirm the suggested person of each face id given',
  usage: 'visage [--db PATH] confirm ID [ID…] [--json]',
  options: { json: { type: 'boolean' } },
  async run({ api, values, positionals, io }) {
    const ids = positionals.map(faceId);
    if (ids.length === 0 || ids.some((id) => id === null)) {
      io.err('visage confirm: give face ids (numbers), e.g. visage confirm 12 15 40');
      return ExitCode.usage;
    }
    const r = await api['people.confirm']({ faceIds: ids as number[] });
    if (values.json) io.out(JSON.stringify(r));
    else {
      io.out(r.summary);
      if (r.skipped.length > 0) io.out(`No suggestion to confirm for: ${r.skipped.join(', ')}`);
    }
    return ExitCode.ok;
  },
};
