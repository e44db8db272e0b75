/**
 * `visage settings [KEY [VALUE|default]]`: every tunable threshold with its plain-language description
 * (indexing and grouping), or change one.
 */
import { UserError } from '../../api/contract';
import type { VisageApi } from '../../api/contract';
import { ExitCode, type CliCommand } from '../command';

type Setting = Awaited<ReturnType<VisageApi['library.settings']>>[number];

async function all(api: VisageApi): Promise<{ feature: 'library' | 'people'; setting: Setting }[]> {
  const [library, people] = await Promise.all([api['library.settings']({}), api['people.settings']({})]);
  return [
    ...library.map((setting) => ({ feature: 'library' as const, setting })),
    ...people.map((setting) => ({ feature: 'people' as const, setting })),
  ];
}

export const settingsCommand: CliCommand = {
  name: 'settings',
  summary: 'Show every threshold with what it means, or change one: visage settings KEY VALUE|default',
  usage: 'visage [--db PATH] settings [--json] [KEY [VALUE|default]]',
  options: { json: { type: 'boolean' } },
  async run({ api, values, positionals, io }) {
    const [key, value] = positionals;
    let list = await all(api);
    if (key !== undefined && value !== undefined) {
      const found = list.find((s) => s.setting.key === key);
      if (!found)
        throw new UserError(`Unknown setting "${key}" (known: ${list.map((s) => s.setting.key).join(', ')})`);
      const n = value === 'default' ? null : Number(value);
      if (n !== null && (value.trim() === '' || !Number.isFinite(n)))
        throw new UserError(`"${value}" is not a number (or "default")`);
      if (found.feature === 'library') await api['library.setSetting']({ key, value: n });
      else await api['people.setSetting']({ key, value: n });
      list = await all(api);
    }
    const shown = key === undefined ? list : list.filter((s) => s.setting.key === key);
    if (key !== undefined && shown.length === 0) throw new UserError(`Unknown setting "${key}"`);
    if (values.json) {
      io.out(JSON.stringify(shown.map((s) => ({ feature: s.feature, ...s.setting }))));
      return ExitCode.ok;
    }
    for (const { setting: s } of shown) {
      const changed = s.value !== s.default ? ` (default ${s.default})` : '';
      io.out(`${s.key} = ${s.value}${changed}\n  ${s.label}. ${s.description}\n`);
    }
    return ExitCode.ok;
  },
};
