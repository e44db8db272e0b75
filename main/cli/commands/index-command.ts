/** `visage index <folder…>`: add folders and index them, with progress on stderr. */
import path from 'node:path';
import { UserError } from '../../api/contract';
import { ExitCode, type CliCommand } from '../command';
import { formatDuration } from '../format';

export const indexCommand: CliCommand = {
  name: 'index',
  summary: 'Add folders to the library and find, align and embed every face (resumes where it stopped)',
  usage:
    'visage [--db PATH] index [--min-face-size PX] [--min-score S] [--json] [--quiet] <folder…>' +
    '   (no folder: re-scan the library; the two settings are kept for later runs, see "visage settings")',
  options: {
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    'min-face-size': { type: 'string' },
    'min-score': { type: 'string' },
  },
  async run({ api, values, positionals, io }) {
    for (const [flag, key] of [
      ['min-face-size', 'minFaceSize'],
      ['min-score', 'minScore'],
    ] as const) {
      const v = values[flag];
      if (typeof v !== 'string') continue;
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n))
        throw new UserError(`--${flag} must be a number, got "${v}"`);
      await api['library.setSetting']({ key, value: n });
    }
    for (const folder of positionals) {
      // Relative to the shell's folder, said explicitly: the engine refuses relative paths.
      const f = await api['library.addFolder']({ path: path.resolve(folder), index: false });
      if (!values.quiet && !values.json) io.err(`folder: ${f.path}`);
    }
    if (positionals.length === 0 && (await api['library.folders']({})).length === 0) {
      io.err('visage index: the library has no folders; name one: visage index ~/Pictures');
      return ExitCode.usage;
    }
    let last = 0;
    const off = api.on('jobs.progress', (p) => {
      if (values.quiet || values.json || p.job !== 'index') return;
      const now = Date.now();
      if (now - last < 1000 && p.done !== p.total) return;
      last = now;
      const eta = p.etaMs !== null ? `, ETA ${formatDuration(p.etaMs)}` : '';
      io.err(`${p.phase}: ${p.done}/${p.total}${eta}${p.errors ? `, ${p.errors} failed` : ''}`);
    });
    const onSigint = () => void api['jobs.cancel']({ job: 'index' });
    process.once('SIGINT', onSigint);
    try {
      const summary = await api['library.rescan']({ wait: true });
      if (values.json) io.out(JSON.stringify(summary));
      else {
        const s = summary.scan;
        io.out(
          `scan: ${s.added} new, ${s.changed} changed, ${s.moved} moved, ${s.missing} missing, ${s.unchanged} unchanged`,
        );
        // This run's own work (another process indexing the same catalog reports its own); the failed
        // count and the unreadable entries are the ones `visage status` lists.
        const unreadable = s.problems.filter((p) => p.path !== '(engine)').length - s.failed;
        io.out(
          `indexed ${summary.indexed} photos, ${summary.failed} failed` +
            (unreadable > 0 ? `, ${unreadable} could not be read` : '') +
            ' (see "visage status")',
        );
        for (const p of s.problems) io.err(`problem: ${p.path}: ${p.error}`);
        if (summary.state !== 'done') {
          const cause = s.problems.find((p) => p.path === '(engine)')?.error;
          io.err(`indexing ${summary.state}${cause ? `: ${cause}` : ''}`);
        }
      }
      return summary.state === 'done' ? ExitCode.ok : ExitCode.failure;
    } finally {
      off();
      process.off('SIGINT', onSigint);
    }
  },
};
