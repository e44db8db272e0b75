/** `visage heads`: trained heads with their verdicts; activate one, roll back, or re-run recognition. */
import { ExitCode, type CliCommand } from '../command';
import { percent } from '../format';

export const headsCommand: CliCommand = {
  name: 'heads',
  summary: 'List trained heads; --activate ID [--force], --rollback, --recognise',
  usage: 'visage [--db PATH] heads [--json] [--activate ID [--force]] [--rollback] [--recognise]',
  options: {
    json: { type: 'boolean' },
    activate: { type: 'string' },
    force: { type: 'boolean' },
    rollback: { type: 'boolean' },
    recognise: { type: 'boolean' },
  },
  async run({ api, values, io }) {
    if (values.activate !== undefined) {
      const h = await api['head.activate']({ id: Number(values.activate), force: values.force === true });
      io.out(values.json ? JSON.stringify(h) : `Head ${h.id} is now active.`);
    }
    if (values.rollback) {
      const { active } = await api['head.rollback']({});
      io.out(
        values.json
          ? JSON.stringify({ active })
          : active
            ? `Rolled back to head ${active.id}.`
            : 'Rolled back to the baseline (no head active).',
      );
    }
    if (values.recognise) {
      const r = await api['head.recognise']({});
      io.out(
        values.json
          ? JSON.stringify(r)
          : `Recognised ${r.faces} faces with ${r.model}: ${r.auto} auto-assigned, ${r.suggested} suggested, ${r.cleared} withdrawn (${Math.round(r.ms)} ms).`,
      );
    }
    if (values.activate !== undefined || values.rollback || values.recognise) return ExitCode.ok;
    const heads = await api['head.list']({});
    if (values.json) {
      io.out(JSON.stringify(heads));
      return ExitCode.ok;
    }
    if (heads.length === 0) io.out('No heads trained yet. Label some people, then run: visage train');
    for (const h of heads) {
      const flag = h.active ? '*' : h.accepted ? ' ' : '-';
      io.out(
        `${flag}${String(h.id).padStart(4)}  ${new Date(h.createdAt).toISOString().slice(0, 16)}  ${h.loss.padEnd(10)} ${h.backend}`,
      );
      io.out(
        `       ${h.data.people ?? 0} people, ${h.data.confirmed ?? 0} faces; top-1 ${percent(h.metrics.top1)} (baseline ${percent(h.baseline.top1)}), rejection ${percent(h.metrics.open)} (baseline ${percent(h.baseline.open)})`,
      );
      io.out(`       ${h.verdict}`);
    }
    if (heads.length && !heads.some((h) => h.active))
      io.out('No head is active: recognition uses the baseline (nearest centroid).');
    return ExitCode.ok;
  },
};
