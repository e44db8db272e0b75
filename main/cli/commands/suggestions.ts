/** `visage suggestions`: the review queue, "Is this NAME?", in the order that makes each answer count most. */
import { ExitCode, type CliCommand } from '../command';
import { chance } from '../format';

export const suggestionsCommand: CliCommand = {
  name: 'suggestions',
  summary: 'Review queue: faces suggested as a person (yes to a question: visage confirm --question ID)',
  usage: 'visage [--db PATH] suggestions [--json] [--limit N] [--person NAME]',
  options: { json: { type: 'boolean' }, limit: { type: 'string' }, person: { type: 'string' } },
  async run({ api, values, io }) {
    const limit = typeof values.limit === 'string' ? Number(values.limit) : undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
      io.err('visage suggestions: --limit needs a positive whole number');
      return ExitCode.usage;
    }
    const list = await api['people.suggestions']({
      ...(limit !== undefined ? { limit } : {}),
      ...(typeof values.person === 'string' ? { person: values.person } : {}),
    });
    if (values.json) {
      for (const s of list) io.out(JSON.stringify(s));
      return ExitCode.ok;
    }
    if (list.length === 0) io.out('Nothing to review.');
    // A group question lists every face it is about, so `visage confirm` can answer it whole. Confidence
    // is shown as a percentage with one decimal: 0.99 rounded from 0.986 would read as "auto-name level".
    for (const s of list) {
      const question =
        s.faceIds.length > 1
          ? `Are these ${s.faceIds.length} faces ${s.person.name}? (faces ${s.faceIds.join(' ')})`
          : `Is this ${s.person.name}?`;
      io.out(
        `${String(s.faceId).padStart(6)}  ${question}  ${chance(s.confidence)} chance  ` +
          `margin ${s.margin.toFixed(2)}  ${s.tier}  ${s.photoPath}`,
      );
    }
    if (list.some((s) => s.faceIds.length > 1))
      io.out('\nYes to a whole question: visage confirm --question ID (the id it is listed under)');
    return ExitCode.ok;
  },
};
