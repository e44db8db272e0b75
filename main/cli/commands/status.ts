/** `visage status`: what the catalog holds, what failed and why, which models and provider run. */
import { ExitCode, type CliCommand } from '../command';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show library counts, failed files with reasons, models, execution provider and vision threads',
  usage: 'visage [--db PATH] status [--json]',
  options: { json: { type: 'boolean' } },
  async run({ api, values, io }) {
    const s = await api['library.status']({});
    if (values.json) {
      io.out(JSON.stringify(s));
      return ExitCode.ok;
    }
    const p = s.photos;
    io.out(`folders: ${s.folders}`);
    io.out(
      `photos:  ${p.total} (${p.done} indexed, ${p.pending} pending, ${p.failed} failed, ${p.missing} missing)`,
    );
    io.out(`faces:   ${s.faces}`);
    io.out(`people:  ${s.people}`);
    io.out(`models:  ${s.models.map((m) => `${m.role}=${m.id}`).join(', ')}`);
    if (s.executionProvider) io.out(`provider: ${s.executionProvider}`);
    const v = s.vision;
    io.out(
      `vision:  ${v.workers} worker${v.workers === 1 ? '' : 's'} × ${v.ortThreads} ONNX Runtime thread${v.ortThreads === 1 ? '' : 's'} (${v.cores} cores)`,
    );
    if (s.errors.length) {
      io.out(`\nproblems (${s.errors.length}):`);
      for (const e of s.errors) io.out(`  ${e.path}: ${e.error}`);
    }
    if (s.damaged.length) {
      io.out(`\ndamaged photos, indexed from the part that could be read (${s.damaged.length}):`);
      for (const d of s.damaged) io.out(`  ${d.path}: ${d.detail}`);
    }
    if (s.warnings.length) {
      io.out(`\nwarnings (${s.warnings.length}):`);
      for (const w of s.warnings) io.out(`  ${w.path}: ${w.warning}`);
    }
    if (s.skipped.total) {
      io.out(`\nskipped, not photos (${s.skipped.total}):`);
      for (const path of s.skipped.paths) io.out(`  ${path}`);
      const more = s.skipped.total - s.skipped.paths.length;
      if (more > 0) io.out(`  … and ${more} more`);
    }
    return ExitCode.ok;
  },
};
