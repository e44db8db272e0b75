/** `visage import-labels FILE`: applies a labels file (one undoable change). */
import { readFile } from 'node:fs/promises';
import { labelsFileSchema } from '../../api/people';
import { ExitCode, type CliCommand } from '../command';

export const importLabelsCommand: CliCommand = {
  name: 'import-labels',
  summary: 'Apply a labels file written by export-labels (conflicts are reported, never overwritten)',
  usage: 'visage [--db PATH] import-labels FILE [--json]',
  options: { json: { type: 'boolean' } },
  async run({ api, values, positionals, io }) {
    const file = positionals[0];
    if (!file || positionals.length > 1) {
      io.err('visage import-labels: give one file name');
      return ExitCode.usage;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        io.err(`visage import-labels: no such file: ${file}`);
        return ExitCode.notFound;
      }
      io.err(
        `visage import-labels: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return ExitCode.usage;
    }
    const labels = labelsFileSchema.safeParse(parsed);
    if (!labels.success) {
      // Name the field, e.g. "faces.3.box: expected array, received string".
      const issue = labels.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      io.err(`visage import-labels: ${file} is not a Visage labels file: ${where}${issue?.message ?? ''}`);
      return ExitCode.usage;
    }
    const r = await api['people.importLabels']({ labels: labels.data });
    if (values.json) {
      io.out(JSON.stringify(r));
      return ExitCode.ok;
    }
    io.out(
      `Imported: ${r.people} new people, ${r.confirmed} confirmed, ${r.rejected} rejected, ${r.deleted} deleted, ` +
        `${r.created} faces added, ${r.splits} splits; ${r.unchanged} already so`,
    );
    for (const u of r.unmatched) io.out(`  not matched: ${u.path}: ${u.reason}`);
    for (const c of r.conflicts) io.out(`  kept this catalog's label: ${c.path}: ${c.reason}`);
    return ExitCode.ok;
  },
};
