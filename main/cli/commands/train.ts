/** `visage train`: trains a head on the confirmed faces, shows progress, and says whether it is used and why. */
import { backendNameSchema, lossKindSchema, trainParamsSchema } from '../../api/head';
import { ExitCode, type CliCommand } from '../command';
import { formatDuration, percent } from '../format';

const num = (v: unknown) => (typeof v === 'string' ? Number(v) : undefined);
/** An enum's values as usage text: "a|b|c". */
const choices = (e: { options: readonly string[] }): string => e.options.join('|');

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train the recognition head on your labelled people (used only if it beats the baseline)',
  // The choices come from the contract's enums, so a new loss or backend shows up here by itself.
  usage:
    `visage [--db PATH] train [--loss ${choices(lossKindSchema)}] [--backend ${choices(backendNameSchema)}]` +
    ` [--s N] [--m N] [--rank N] [--prototypes ${choices(trainParamsSchema.shape.prototypes.unwrap())}]` +
    ' [--epochs N] [--target-precision P] [--no-apply] [--json]',
  options: {
    loss: { type: 'string' },
    backend: { type: 'string' },
    s: { type: 'string' },
    m: { type: 'string' },
    rank: { type: 'string' },
    prototypes: { type: 'string' },
    epochs: { type: 'string' },
    'target-precision': { type: 'string' },
    'no-apply': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ api, values, io }) {
    const params = {
      loss: values.loss === undefined ? undefined : lossKindSchema.parse(values.loss),
      backend: values.backend === undefined ? undefined : backendNameSchema.parse(values.backend),
      s: num(values.s),
      m: num(values.m),
      rank: num(values.rank),
      prototypes:
        values.prototypes === undefined
          ? undefined
          : trainParamsSchema.shape.prototypes.parse(values.prototypes),
      epochs: num(values.epochs),
      targetPrecision: num(values['target-precision']),
      apply: values['no-apply'] !== true,
    };
    let last = 0;
    const off = api.on('head.progress', (p) => {
      if (values.json || Date.now() - last < 1000) return;
      last = Date.now();
      const stage = p.phase === 'validation' ? `check ${p.step + 1}/${p.steps - 1}` : 'final run';
      const val = p.valTop1 === null ? '' : `, validation top-1 ${percent(p.valTop1)}`;
      const eta = p.etaMs === null ? '' : `, about ${formatDuration(p.etaMs)} left`;
      io.err(
        `${stage}: epoch ${p.epoch}, loss ${p.loss?.toFixed(3) ?? '–'}${val}${eta} [${p.backend ?? '…'}]`,
      );
    });
    try {
      const { head, applied } = await api['head.train'](params);
      if (values.json) {
        io.out(JSON.stringify({ head, applied }));
        return ExitCode.ok;
      }
      io.out(`Head ${head.id} (${head.loss}) trained on ${head.backend} in ${formatDuration(head.trainMs)}.`);
      io.out(
        `  validation: head top-1 ${percent(head.metrics.top1)}, rejection ${percent(head.metrics.open)}; baseline ${percent(head.baseline.top1)}, ${percent(head.baseline.open)}`,
      );
      io.out(`  scores against: ${String(head.settings.prototypes)} prototypes`);
      io.out(`  ${head.verdict}`);
      io.out(
        `  auto-assign threshold ${head.threshold.toFixed(3)} (target precision ${percent(head.targetPrecision)})`,
      );
      if (applied) {
        io.out(
          `Recognised ${applied.faces} unassigned faces with ${applied.model}: ${applied.auto} auto-assigned, ${applied.suggested} suggested, ${applied.cleared} withdrawn.`,
        );
      }
      return ExitCode.ok;
    } finally {
      off();
    }
  },
};
