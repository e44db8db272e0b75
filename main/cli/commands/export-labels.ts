/** `visage export-labels FILE`: every label as JSON (FILE "-" writes to standard output). */
import { writeFile } from 'node:fs/promises';
import { ExitCode, type CliCommand } from '../command';

export const exportLabelsCommand: CliCommand = {
  name: 'export-labels',
  summary: 'Write all names, confirmations and rejections to a JSON file',
  usage: 'visage [--db PATH] export-labels FILE',
  options: {},
  async run({ api, positionals, io }) {
    const file = positionals[0];
    if (!file || positionals.length > 1) {
      io.err('visage export-labels: give one file name (or - for standard output)');
      return ExitCode.usage;
    }
    const labels = await api['people.exportLabels']({});
    const text = `${JSON.stringify(labels, null, 2)}\n`;
    if (file === '-') io.out(text.trimEnd());
    else {
      await writeFile(file, text, 'utf8');
      io.out(`Wrote ${labels.people.length} people and ${labels.faces.length} labelled faces to ${file}`);
    }
    return ExitCode.ok;
  },
};
