/**
 * `visage confirm ID…`: "yes" to the suggestions of these faces; `--question ID` says yes to a whole
 * question of `visage suggestions` (every face of "Are these 14 faces NAME?"), named by the id it is
 * listed under.
 */
import { ExitCode, type CliCommand } from '../command';
import { faceId } from './face-id';

export const confirmCommand: CliCommand = {
  name: 'confirm',
  summary:
    'Confirm suggestions: each face id given, or a whole question of visage suggestions (--question ID)',
  usage: 'visage [--db PATH] confirm (ID [ID…] | --question ID) [--json]',
  options: { json: { type: 'boolean' }, question: { type: 'string' } },
  async run({ api, values, positionals, io }) {
    let ids: (number | null)[];
    if (values.question !== undefined) {
      const lead = faceId(values.question);
      if (lead === null || positionals.length > 0) {
        io.err('visage confirm: --question takes the one id a question is listed under, e.g. --question 12');
        return ExitCode.usage;
      }
      const question = (await api['people.suggestions']({})).find((s) => s.faceId === lead);
      if (!question) {
        io.err(`visage confirm: no question is listed under ${lead} (see visage suggestions)`);
        return ExitCode.notFound;
      }
      ids = question.faceIds;
    } else ids = positionals.map(faceId);
    if (ids.length === 0 || ids.some((id) => id === null)) {
      io.err('visage confirm: give face ids (numbers), e.g. visage confirm 12 15 40, or --question ID');
      return ExitCode.usage;
    }
    const r = await api['people.confirm']({ faceIds: ids as number[] });
    if (values.json) io.out(JSON.stringify(r));
    else {
      io.out(r.summary);
      if (r.skipped.length > 0) io.out(`No suggestion to confirm for: ${r.skipped.join(', ')}`);
    }
    // Nothing matched (every id already confirmed, or never suggested): exit 3, as the README says.
    return r.skipped.length === ids.length ? ExitCode.notFound : ExitCode.ok;
  },
};
