/**
 * The head worker thread: chooses the TensorFlow.js backend, then runs one training job (validation
 * episodes, the guard, the final run on every labelled face), one evaluation, or one recognition (which
 * reads a catalog file itself: [Note: recognition reads off the serving thread]), posting progress
 * events as it goes. A 'cancel' message stops it between epochs; nothing is stored by the worker.
 */
import { parentPort } from 'node:worker_threads';
import { chooseBackend, type BackendName } from './train/backends';
import { embedFolderSet, listFolderSet } from './eval/eval-embeddings';
import { runEval } from './eval/eval-protocol';
import { runGuard } from './train/guard';
import { defaultLoss } from './train/losses';
import { recogniseCatalog } from './recognise/recognise-catalog';
import { decideInput } from './recognise/recognition-input';
import { tfGram } from './train/fast-matmul';
import { trainHead, TrainingCancelled } from './train/trainer';
import { defaultTrainSettings, type EpochReport } from './train/train-settings';
import type { HeadProgress, WorkerEvent, WorkerRequest } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('train-worker.ts must run in a worker thread');
const controller = new AbortController();
const post = (e: WorkerEvent, transfer: ArrayBuffer[] = []) => {
  port.postMessage(e, transfer);
};
const started = performance.now();

function progress(p: Omit<HeadProgress, 'elapsedMs' | 'etaMs'>, doneFraction: number | null): void {
  const elapsedMs = performance.now() - started;
  const etaMs = doneFraction && doneFraction > 0.02 ? (elapsedMs / doneFraction) * (1 - doneFraction) : null;
  post({ type: 'progress', progress: { ...p, elapsedMs, etaMs } });
}

async function setup(backend: BackendName | null) {
  const chosen = await chooseBackend(backend ?? undefined);
  post({ type: 'backend', backend: chosen });
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'cancel':
      controller.abort();
      return;
    case 'train': {
      await setup(req.backend);
      const steps = req.episodes + 1;
      let step = 0;
      const onEpoch = (r: EpochReport) => {
        const phase = step < req.episodes ? 'validation' : 'final';
        const fraction = (step + r.epoch / r.epochs) / steps;
        progress(
          {
            phase,
            step,
            steps,
            epoch: r.epoch,
            epochs: r.epochs,
            loss: r.loss,
            valLoss: r.valLoss,
            valTop1: r.valTop1,
            message: null,
          },
          fraction,
        );
      };
      const guard = await runGuard(req.data, req.settings, trainHead, {
        episodes: req.episodes,
        targetPrecision: req.targetPrecision,
        seed: req.settings.seed,
        onEpisode: (i) => (step = i),
        trainOptions: { onEpoch, signal: controller.signal },
      });
      step = req.episodes;
      const final = await trainHead(
        req.data,
        { ...req.settings, epochs: guard.epochs, prototypes: guard.prototypes },
        { onEpoch, signal: controller.signal },
      );
      post({
        type: 'trained',
        outcome: {
          params: final.params,
          guard,
          final: { epochs: final.epochs, trainMs: final.trainMs, flops: final.flops, samples: final.samples },
          totalMs: performance.now() - started,
        },
      });
      return;
    }
    case 'recognise': {
      await setup(req.backend);
      const { job } = req;
      const result =
        'dbPath' in job ? recogniseCatalog(job.dbPath, job.choice, tfGram) : decideInput(job.input, tfGram);
      post({ type: 'recognised', result }, [result.decided.buffer as ArrayBuffer]);
      return;
    }
    case 'eval': {
      await setup(req.backend);
      const t = performance.now();
      const listing = listFolderSet(req.root, req.minImages);
      const embedded = await embedFolderSet(listing, req.cacheFile, {
        signal: controller.signal,
        onProgress: (done, total) => {
          progress(
            {
              phase: 'eval',
              step: 0,
              steps: 1,
              epoch: done,
              epochs: total,
              loss: null,
              valLoss: null,
              valTop1: null,
              message: 'embedding faces',
            },
            null,
          );
        },
      });
      const embedMs = performance.now() - t;
      const results = [];
      for (const [i, seed] of req.seeds.entries()) {
        results.push(
          await runEval(embedded.set, {
            ...req.options,
            seed,
            settings: (loss) => ({ ...defaultTrainSettings(defaultLoss(loss)), ...req.options.overrides }),
            trainOptions: { signal: controller.signal },
            onStep: (name, done, total) => {
              progress(
                {
                  phase: 'eval',
                  step: i,
                  steps: req.seeds.length,
                  epoch: done,
                  epochs: total,
                  loss: null,
                  valLoss: null,
                  valTop1: null,
                  message: `seed ${seed}: ${name}`,
                },
                (i + done / total) / req.seeds.length,
              );
            },
          }),
        );
      }
      const { set, ...rest } = embedded;
      post({
        type: 'evaluated',
        report: {
          results,
          embedding: {
            ...rest,
            faces: set.x.rows,
            people: set.people.length,
            dropped: listing.dropped,
            ms: embedMs,
          },
        },
      });
      return;
    }
  }
}

port.on('message', (req: WorkerRequest) => {
  handle(req).catch((err: unknown) => {
    const cancelled = err instanceof TrainingCancelled || controller.signal.aborted;
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err), cancelled });
  });
});
