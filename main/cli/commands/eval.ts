/**
 * `visage eval ROOT`: the head's evaluation protocol on a folder-per-person set — nearest centroid,
 * k-NN, linear probe and every head loss side by side, and which model the guard would activate.
 */
import { backendNameSchema, lossKindSchema } from '../../api/head';
import { ExitCode, type CliCommand } from '../command';
import { formatDuration, percent } from '../format';

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Evaluate recognition models on a folder-per-person set (ROOT/<person>/<images>)',
  usage:
    'visage [--db PATH] eval ROOT [--shots 5] [--seed S] [--min-images N] [--losses a,b] [--backend NAME] [--json]',
  options: {
    shots: { type: 'string' },
    seed: { type: 'string' },
    'min-images': { type: 'string' },
    losses: { type: 'string' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ api, values, positionals, io }) {
    const root = positionals[0];
    if (!root) {
      io.err('visage eval: needs ROOT, a folder with one sub-folder of images per person.');
      return ExitCode.usage;
    }
    let last = 0;
    const off = api.on('head.progress', (p) => {
      if (values.json || Date.now() - last < 2000) return;
      last = Date.now();
      io.err(`${p.message ?? p.phase} (${p.epoch}/${p.epochs})`);
    });
    try {
      const reply = await api['head.eval']({
        root,
        shots: values.shots === undefined ? undefined : Number(values.shots),
        seed: values.seed === undefined ? undefined : Number(values.seed),
        minImages: values['min-images'] === undefined ? undefined : Number(values['min-images']),
        losses:
          typeof values.losses === 'string'
            ? values.losses.split(',').map((l) => lossKindSchema.parse(l))
            : undefined,
        backend: values.backend === undefined ? undefined : backendNameSchema.parse(values.backend),
      });
      const r = reply.result;
      if (values.json) {
        const methods = r.methods.map(
          ({ name, top1, dir_far1, tar_far1e3, train_ms, steps, rank, operating }) => ({
            name,
            top1,
            dir_far1,
            tar_far1e3,
            train_ms,
            steps,
            rank,
            ...(operating ? { operating } : {}),
          }),
        );
        io.out(
          JSON.stringify({
            methods,
            active: r.active,
            backend: reply.backend,
            set: r.set,
            shots: r.shots,
            seed: r.seed,
            counts: r.counts,
          }),
        );
        return ExitCode.ok;
      }
      const c = r.counts;
      io.out(
        `${r.set}: ${c.people} people (${c.people - c.strangers} labelled with ${r.shots} faces each, ${c.strangers} never labelled), seed ${r.seed}`,
      );
      io.out(
        `  ${reply.embedding.faces} faces (${reply.embedding.cached} from cache, ${reply.embedding.missing} without a face, ${reply.embedding.duplicates + reply.embedding.dropped} duplicates left out); backend ${reply.backend}`,
      );
      io.out(
        `  ${'method'.padEnd(18)} ${'top-1'.padStart(8)} ${'DIR@1%'.padStart(8)} ${'TAR@1e-3'.padStart(9)} ${'train'.padStart(8)} ${'steps'.padStart(6)} ${'rank'.padStart(5)}`,
      );
      for (const m of r.methods) {
        io.out(
          `  ${m.name.padEnd(18)} ${percent(m.top1).padStart(8)} ${percent(m.dir_far1).padStart(8)} ${percent(m.tar_far1e3).padStart(9)} ${formatDuration(m.train_ms).padStart(8)} ${String(m.steps ?? '–').padStart(6)} ${String(m.rank ?? '–').padStart(5)}${m.guard && !m.guard.activate ? '  (guard: keep baseline)' : ''}`,
        );
      }
      const triplet = r.methods.find((m) => m.triplets);
      if (triplet?.triplets)
        io.out(
          `  ${triplet.name}: ${triplet.triplets.possible} triplets among the labelled faces, ${Math.round(triplet.triplets.minedPerStep)} semi-hard per step`,
        );
      io.out(`The guard would use: ${r.active} (decided from the labelled faces only).`);
      const op = r.methods.filter((m) => m.operating);
      if (op.length) {
        io.out('What you would see (probes and strangers left to recognition, shipped confidence levels):');
        io.out(
          `  ${'model'.padEnd(18)} ${'auto'.padStart(13)} ${'sure'.padStart(13)} ${'suggested'.padStart(13)} ${'coverage'.padStart(9)} ${'strangers named'.padStart(16)}`,
        );
        const pc = (p: { count: number; precision: number | null }) =>
          `${p.count} @ ${p.precision === null ? '–' : percent(p.precision)}`.padStart(13);
        for (const m of op) {
          const o = m.operating!;
          io.out(
            `  ${m.name.padEnd(18)} ${pc(o.auto)} ${pc(o.sure)} ${pc(o.suggested)} ${percent(o.coverage).padStart(9)} ${percent(o.strangersNamed).padStart(16)}`,
          );
        }
      }
      return ExitCode.ok;
    } finally {
      off();
    }
  },
};
