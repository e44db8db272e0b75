/**
 * `visage people`: named people with their face counts, then the unnamed groups (faces the grouping put
 * together that nobody named yet) with theirs, then the faces set apart ([Note: faces set apart]), each list
 * under its own heading. `--json` prints the people (with `--groups`, `{ people, groups, setApart }`, so
 * scripts reading the array keep working).
 */
import { ExitCode, type CliCommand } from '../command';
import { faceCounts } from '../format';

/** Face ids shown per group: enough to pick one to name, not a wall of numbers. */
const SAMPLE = 5;

export const peopleCommand: CliCommand = {
  name: 'people',
  summary: 'List named people (faces: confirmed, named by Visage; suggested) and unnamed groups (faces)',
  usage: 'visage [--db PATH] people [--json] [--all] [--groups]',
  options: { json: { type: 'boolean' }, all: { type: 'boolean' }, groups: { type: 'boolean' } },
  async run({ api, values, io }) {
    const people = await api['people.list']({ includeHidden: values.all === true });
    if (values.json) {
      const groups = values.groups ? await api['people.groups']({}) : null;
      const setApart = values.groups ? await api['people.setApart']({}) : null;
      io.out(JSON.stringify(groups ? { people, groups, setApart } : people));
      return ExitCode.ok;
    }
    const groups = await api['people.groups']({});
    io.out(`Named people: ${people.length}`);
    if (people.length === 0) io.out('  none yet');
    for (const p of people)
      io.out(`  ${String(p.id).padStart(5)}  ${p.name}${p.hidden ? ' (hidden)' : ''}  ${faceCounts(p)}`);
    const faces = groups.reduce((n, g) => n + g.size, 0);
    io.out(`\nUnnamed groups: ${groups.length} (${faces} faces)`);
    if (groups.length === 0) io.out('  none');
    for (const g of groups) {
      const more = g.faceIds.length > SAMPLE ? ', …' : '';
      io.out(
        `  group ${String(g.id).padStart(5)}  ${g.size} faces  (faces ${g.faceIds.slice(0, SAMPLE).join(', ')}${more})`,
      );
    }
    const apart = await api['people.setApart']({});
    if (apart.length > 0) {
      io.out(
        `\nSet apart (not someone, too few for a group): ${apart.reduce((n, g) => n + g.size, 0)} faces`,
      );
      for (const g of apart) io.out(`  group ${String(g.id).padStart(5)}  faces ${g.faceIds.join(', ')}`);
    }
    if (groups.length > 0 || apart.length > 0)
      io.out('\nName a whole group: visage label --group ID --person NAME');
    return ExitCode.ok;
  },
};
