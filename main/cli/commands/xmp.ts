/**
 * `visage xmp --write | --read`: face regions (MWG, Microsoft MP) and people keywords in XMP sidecars
 * (originals are never modified; README "XMP" says what is read and written where).
 */
import { ExitCode, type CliCommand } from '../command';

export const xmpCommand: CliCommand = {
  name: 'xmp',
  summary: 'Write names to XMP sidecars (--write) or read names from XMP (--read)',
  usage: 'visage [--db PATH] xmp (--write | --read) [--json]',
  options: { write: { type: 'boolean' }, read: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ api, values, io }) {
    if (values.write === values.read) {
      io.err('visage xmp: give exactly one of --write or --read');
      return ExitCode.usage;
    }
    if (values.read) {
      const r = await api['people.readXmp']({});
      if (values.json) io.out(JSON.stringify(r));
      else
        io.out(
          `Read ${r.regions} named regions in ${r.photos} photos: ${r.confirmed} confirmed, ${r.unmatched} not matched, ` +
            `${r.conflicts} kept as they were`,
        );
      if (!values.json)
        for (const p of r.problems)
          io.err(`  ${p.path}${p.name === null ? '' : ` (${p.name})`}: ${p.reason}`);
      return ExitCode.ok;
    }
    const r = await api['people.writeXmp']({});
    if (values.json) io.out(JSON.stringify(r));
    else {
      io.out(
        `Wrote ${r.written.length} sidecars, ${r.unchanged} already up to date (${r.photos} photos looked at)`,
      );
      for (const e of r.errors) io.err(`  ${e.path}: ${e.error}`);
    }
    return r.errors.length > 0 ? ExitCode.failure : ExitCode.ok;
  },
};
