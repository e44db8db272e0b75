/** `visage person NAME`: one person's faces; also rename, hide and show. */
import { doubtfulNameBelow } from '../../api/confidence-levels';
import { ExitCode, type CliCommand } from '../command';
import { chance, faceCounts } from '../format';

export const personCommand: CliCommand = {
  name: 'person',
  summary: "Show a person's faces; --rename NEW, --hide or --show change the person",
  usage: 'visage [--db PATH] person NAME [--json] [--rename NEW] [--hide | --show]',
  options: {
    json: { type: 'boolean' },
    rename: { type: 'string' },
    hide: { type: 'boolean' },
    show: { type: 'boolean' },
  },
  async run({ api, values, positionals, io }) {
    const name = positionals.join(' ').trim();
    if (!name) {
      io.err('visage person: give a name, e.g. visage person "Alice Smith"');
      return ExitCode.usage;
    }
    if (typeof values.rename === 'string')
      io.out((await api['people.rename']({ person: name, name: values.rename })).summary);
    const current = typeof values.rename === 'string' ? values.rename : name;
    if (values.hide || values.show)
      io.out((await api['people.hide']({ person: current, hidden: values.hide === true })).summary);
    const { person, faces, agreement } = await api['people.get']({ person: current });
    if (values.json) {
      io.out(JSON.stringify({ person, faces, agreement }));
      return ExitCode.ok;
    }
    io.out(`${person.name}${person.hidden ? ' (hidden)' : ''}: ${faceCounts(person)}`);
    // The page's warning ([Note: a name's own faces agree]).
    if (agreement !== null && agreement < doubtfulNameBelow)
      io.out(
        `These faces may not all be ${person.name}: they look like different people, so Visage suggests little for ${person.name} until they agree (visage reject --face ID --person NAME for the odd one, or name more faces).`,
      );
    for (const f of faces) {
      const b = f.box;
      const conf = f.confidence !== null ? ` ${chance(f.confidence)}` : '';
      io.out(
        `${String(f.id).padStart(6)}  ${f.kind.padEnd(9)}${conf}  ${f.photoPath}  [${[b.x, b.y, b.w, b.h].map(Math.round).join(',')}]`,
      );
    }
    return ExitCode.ok;
  },
};
