/** `visage people`: named people with face counts, and (with --groups) the unnamed groups. */
import { ExitCode, type CliCommand } from '../command';

export const peopleCommand: CliCommand = {
  name: 'people',
  summary: 'List named people (faces confirmed, suggested) and unnamed groups',
  usage: 'visage [--db PATH] people [--json] [--all] [--groups]',
  options: { json: { type: 'boolean' }, all: { type: 'boolean' }, groups: { type: 'boolean' } },
  async run({ api, values, io }) {
    const people = await api['people.list']({ includeHidden: values.all === true });
    const groups = values.groups ? await api['people.groups']({}) : [];
    if (values.json) {
      io.out(JSON.stringify(values.groups ? { people, groups } : people));
      return ExitCode.ok;
    }
    if (people.length === 0)
      io.out('No named people yet. Name a group with: visage label --face ID --person NAME');
    for (const p of people)
      io.out(
        `${String(p.id).padStart(5)}  ${p.name}${p.hidden ? ' (hidden)' : ''}  ${p.faces} confirmed, ${p.suggested} suggested`,
      );
    if (values.groups) {
      io.out(`\n${groups.length} unnamed groups shown:`);
      for (const g of groups)
        io.out(`  group ${g.id}: ${g.size} faces (e.g. ${g.faceIds.slice(0, 5).join(', ')})`);
    }
    return ExitCode.ok;
  },
};
