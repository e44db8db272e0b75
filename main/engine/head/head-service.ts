/**
 * The head's service: trains on the user's labels in a worker thread, stores every run, activates a
 * run only when the guard accepts it (else the nearest-centroid baseline stays, with the reason),
 * activates / rolls back versions, and recognises unassigned faces with the active model.
 * [Note: user work is sacred] Training only reads labels; recognition writes through
 * AssignmentsRepo.setMachine, which never touches a confirmed face or a rejected pairing, and
 * withdraws only machine names.
 * [Note: recognition reads off the serving thread] Recognition runs after every grouping run and reads
 * every face's embedding (100 MB at 50 000 faces): with a catalog file, this thread only chooses the
 * model and writes the decisions; the head worker opens its own connection, reads the library and builds
 * the input (recognise-catalog.ts, recognition-input.ts) and scores it, so reads and edits are served
 * meanwhile. Edits made while it reads are not lost: the write re-reads which faces hold machine names,
 * and setMachine checks each face and person as they are now (confirmed, rejected, merged, deleted).
 * A catalog without a file (`:memory:`, tests) builds the same input here, with the same builder.
 */
import path from 'node:path';
import type { MessageDto } from '../../api/common';
import type { HeadDto } from '../../api/head';
import { UserError } from '../../api/contract';
import type { z } from 'zod';
import type { headRequests, recogniseSummarySchema, trainParamsSchema } from '../../api/head';
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { FacesRepo } from '../catalog/faces-repo';
import type { HeadsRepo } from '../catalog/heads-repo';
import type { PeopleRepo } from '../catalog/people-repo';
import type { Emit } from '../../api/contract';
import type { JobRegistry } from '../jobs/job-registry';
import { ProgressTracker } from '../jobs/progress';
import { describeBackend, type ChosenBackend } from './train/backends';
import { decodeHead, encodeHead } from './head-codec';
import { toHeadDto, type BaselineJson, type HeadMetricsJson } from './head-record';
import { defaultLoss, effectiveRank, lossKinds } from './train/losses';
import { readLibrarySnapshot } from './recognise/library-snapshot';
import {
  decideInput,
  recognitionInput,
  type ModelChoice,
  type Recognised,
} from './recognise/recognition-input';
import { assembleTrainingData } from './train/training-data';
import { defaultTrainSettings, type TrainSettings } from './train/train-settings';
import { evalInWorker, HeadJobCancelled, recogniseInWorker, trainInWorker } from './worker-client';
import type { HeadProgress } from './worker-protocol';

type TrainParams = z.output<typeof trainParamsSchema>;
type RecogniseSummary = z.output<typeof recogniseSummarySchema>;
type EvalParams = z.output<(typeof headRequests)['head.eval']['params']>;
type EvalReply = z.output<(typeof headRequests)['head.eval']['reply']>;

export interface HeadRepos {
  faces: FacesRepo;
  assignments: AssignmentsRepo;
  people: PeopleRepo;
  heads: HeadsRepo;
  /** Runs fn in one catalog transaction (recognition writes thousands of rows). */
  transaction: <T>(fn: () => T) => T;
}

/** Errors that are the user's to fix (a forced backend that is missing, a bad eval folder) become UserErrors. */
function asUserError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  if (/^Backend \S+ is not available|^Not a folder|needs at least two person folders/.test(err.message)) {
    return new UserError(err.message);
  }
  return err;
}

const busy = () =>
  new UserError('A head is already training or being evaluated.', 'conflict', {
    key: 'err.train.busy',
    params: {},
  });

/** A training that failed for a reason that is not the user's: an internal error that still carries words. */
export class TrainingFailed extends Error {
  constructor(
    message: string,
    readonly say: MessageDto,
  ) {
    super(message);
    this.name = 'TrainingFailed';
  }
}

export class HeadService {
  private running: AbortController | null = null;
  private readonly tracker: ProgressTracker;

  constructor(
    private readonly repos: HeadRepos,
    private readonly emit: Emit,
    jobs: JobRegistry,
    /** The catalog file, for the head worker's own connection; null builds recognition's input here (`:memory:`). */
    private readonly dbPath: string | null = null,
  ) {
    this.tracker = new ProgressTracker('train', emit);
    jobs.register('train', { snapshot: () => this.tracker.snapshot(), cancel: () => this.running?.abort() });
  }

  static settingsFor(p: TrainParams): TrainSettings {
    const loss = { ...defaultLoss(p.loss) };
    for (const k of ['s', 'm', 'm1', 'm2', 'm3', 'subCentres'] as const)
      if (p[k] !== undefined) loss[k] = p[k];
    const st = defaultTrainSettings(loss);
    return {
      ...st,
      seed: p.seed,
      // Stored as trained: triplet and center raise rank 0 (see FEATURE_LOSS_RANK).
      rank: effectiveRank(loss.kind, p.rank ?? st.rank),
      epochs: p.epochs ?? st.epochs,
      prototypes: p.prototypes,
    };
  }

  async train(p: TrainParams): Promise<{ head: HeadDto; applied: RecogniseSummary | null }> {
    if (this.running) throw busy();
    const { data, counts } = assembleTrainingData(readLibrarySnapshot(this.repos));
    if (counts.people < 2) {
      throw new UserError(
        'Label faces of at least two people before training (visage label).',
        'bad_request',
        {
          key: 'err.train.twoPeople',
          params: {},
        },
      );
    }
    const settings = HeadService.settingsFor(p);
    const controller = new AbortController();
    this.running = controller;
    let backend: ChosenBackend | null = null;
    this.tracker.start('training', p.episodes + 1);
    let step = 0;
    const progress = this.throttled((pr: HeadProgress) => {
      this.emit('head.progress', { ...pr, backend: backend?.name ?? null });
    });
    try {
      const outcome = await trainInWorker(
        {
          type: 'train',
          data,
          settings,
          episodes: p.episodes,
          targetPrecision: p.targetPrecision,
          backend: p.backend ?? null,
        },
        {
          signal: controller.signal,
          onBackend: (b) => (backend = b),
          onProgress: (pr: HeadProgress) => {
            progress(pr, pr.step !== step);
            for (; step < pr.step; step++)
              this.tracker.advance(pr.phase === 'final' ? 'final run' : `check ${step + 2}`);
          },
        },
      );
      progress.flush();
      const g = outcome.guard;
      const chosen = backend as ChosenBackend | null;
      const metrics: HeadMetricsJson = {
        validation: g.head,
        calibration: g.calibration.head,
        confidence: g.confidence.head,
        targetPrecision: p.targetPrecision,
        accepted: g.activate,
        backendNotes: chosen ? chosen.skipped.map((s) => `${s.name}: ${s.reason}`) : [],
        final: outcome.final,
        totalMs: outcome.totalMs,
      };
      const baseline: BaselineJson = {
        validation: g.baseline,
        calibration: g.calibration.baseline,
        confidence: g.confidence.baseline,
      };
      const id = this.repos.heads.insert({
        loss: settings.loss.kind,
        backend: chosen ? describeBackend(chosen) : 'unknown',
        settings: { ...settings, prototypes: g.prototypes, episodes: p.episodes },
        data: counts,
        metrics,
        baseline,
        verdict: g.reason,
        weights: encodeHead(outcome.params),
        threshold: g.calibration.head.threshold,
      });
      this.repos.heads.activate(g.activate ? id : null);
      this.tracker.finish('done', g.reason);
      const applied = p.apply ? await this.recognise() : null;
      return { head: toHeadDto(this.repos.heads.get(id)!), applied };
    } catch (err) {
      if (err instanceof HeadJobCancelled) {
        const say = { key: 'err.train.cancelled', params: {} };
        this.tracker.finish('cancelled', 'Training was cancelled; nothing was stored.', say);
        throw new UserError('Training was cancelled; nothing was stored.', 'conflict', say);
      }
      const failure = asUserError(err);
      const reason = err instanceof Error ? err.message : String(err);
      // A failure the user cannot fix is still said in their language, with the cause as its detail.
      const say = (failure instanceof UserError ? failure.say : null) ?? {
        key: 'err.train.failed',
        params: { reason },
      };
      this.tracker.finish('failed', reason, say);
      if (failure instanceof UserError) throw new UserError(failure.message, failure.code, say);
      throw new TrainingFailed(reason, say);
    } finally {
      this.running = null;
    }
  }

  /**
   * At most one `head.progress` every 250 ms, and every change of stage. An event held back by the
   * throttle is kept and sent before the next stage's first one, and by `flush()` when the run ends: the
   * last round of a pass is the one that says where it ended (the chart's pass stopped at whichever round
   * last passed the throttle, and a short final run showed only its first round).
   */
  private throttled(emit: (p: HeadProgress) => void): {
    (p: HeadProgress, force: boolean): void;
    flush(): void;
  } {
    let last = 0;
    let held: HeadProgress | null = null;
    const flush = () => {
      if (held) emit(held);
      held = null;
    };
    return Object.assign(
      (p: HeadProgress, force: boolean) => {
        const now = Date.now();
        if (!force && now - last < 250) {
          held = p;
          return;
        }
        if (force) flush();
        held = null;
        last = now;
        emit(p);
      },
      { flush },
    );
  }

  list(): HeadDto[] {
    return this.repos.heads.list().map(toHeadDto);
  }

  activate(id: number, force: boolean): HeadDto {
    const row = this.repos.heads.get(id);
    if (!row) throw new UserError(`No head ${id}.`, 'not_found');
    if (!(row.metrics as HeadMetricsJson).accepted && !force) {
      throw new UserError(
        `Head ${id} did not pass the guard (${row.verdict}) Use force to activate it anyway.`,
        'conflict',
      );
    }
    this.repos.heads.activate(id);
    return toHeadDto(this.repos.heads.get(id)!);
  }

  rollback(): HeadDto | null {
    const id = this.repos.heads.rollback();
    return id === null ? null : toHeadDto(this.repos.heads.get(id)!);
  }

  /**
   * The active model: the active head, else the nearest-centroid baseline; its prototypes come from the
   * confirmed faces of the snapshot it scores (recognition-input.ts). Either way its names are decided by
   * the one calibrated rule (open-set.ts).
   */
  chooseModel(): ModelChoice {
    const head = this.repos.heads.active();
    if (!head) return { source: 'centroid', head: null, keepLearned: false };
    return {
      source: `head:${head.id}`,
      head: decodeHead(head.weights),
      keepLearned: (head.settings as { prototypes?: string }).prototypes !== 'centroid',
    };
  }

  /** Decides every face nobody confirmed and writes the names: [Note: recognition reads off the serving thread]. */
  async recognise(): Promise<RecogniseSummary> {
    const t = performance.now();
    const summary = this.write(await this.decide());
    return { ...summary, ms: performance.now() - t };
  }

  /**
   * Reads the library and scores it in the head worker (TF.js matmuls; at library scale the read, the
   * matrices and the scores would each block this thread for seconds). Writes nothing.
   */
  async decide(): Promise<Recognised> {
    const choice = this.chooseModel();
    // Nobody confirmed: no model, and no reason to read every face.
    if (!this.repos.assignments.anyConfirmedOfLive()) return decideInput(null);
    if (this.dbPath)
      return recogniseInWorker({ type: 'recognise', job: { dbPath: this.dbPath, choice }, backend: null });
    const input = recognitionInput(choice, readLibrarySnapshot(this.repos));
    if (!input?.library.ids.length) return decideInput(input);
    return recogniseInWorker({ type: 'recognise', job: { input }, backend: null });
  }

  /**
   * Writes a run's names in one transaction. They may come from a read that edits have overtaken, so the
   * machine names are read now, and setMachine checks each face and person as they are now. A name that
   * is already there as decided is not rewritten (most of a run repeats the one before it).
   */
  write(run: Recognised): Omit<RecogniseSummary, 'ms'> {
    const faces = run.decided.length;
    const summary = { model: run.model ?? 'none', faces, suggested: 0, auto: 0, cleared: 0 };
    const source = run.model;
    if (!source) return summary;
    const { assignments } = this.repos;
    this.repos.transaction(() => {
      // Measured only when the run decided faces (decideInput skips an empty library).
      if (run.decided.length) this.repos.people.setAgreements(run.agreement);
      const machine = new Map(
        [...assignments.byKind('suggested'), ...assignments.byKind('auto')].map((a) => [a.faceId, a]),
      );
      const named = new Set<number>();
      for (const d of run.named) {
        named.add(d.faceId);
        const kind = d.kind!;
        const now = machine.get(d.faceId);
        const same =
          now?.personId === d.personId &&
          now.kind === kind &&
          now.source === source &&
          now.confidence === d.confidence;
        // Recognition is the one writer of machine names (see [Note: calibrated recognition]): it replaces
        // any machine name, including grouping's suggestions from catalogs made before that rule.
        if (same || assignments.setMachine(d.faceId, d.personId, kind, source, d.confidence)) summary[kind]++;
      }
      for (const faceId of run.decided) {
        if (named.has(faceId) || !machine.has(faceId)) continue;
        assignments.clearMachine(faceId);
        summary.cleared++;
      }
    });
    return summary;
  }

  /** `visage eval`: the protocol of eval-protocol.ts on a folder-per-person set, in a worker thread. */
  async evaluate(p: EvalParams, home: string): Promise<EvalReply> {
    if (this.running) throw busy();
    const controller = new AbortController();
    this.running = controller;
    let backend: ChosenBackend | null = null;
    this.tracker.start('evaluating', 1);
    const progress = this.throttled((pr: HeadProgress) => {
      this.emit('head.progress', { ...pr, backend: backend?.name ?? null });
    });
    try {
      const report = await evalInWorker(
        {
          type: 'eval',
          root: p.root,
          minImages: p.minImages,
          cacheFile: path.join(home, 'eval-embeddings.db'),
          seeds: [p.seed],
          options: {
            shots: p.shots,
            losses: p.losses ?? [...lossKinds],
            defaultLoss: 'arcface',
            episodes: p.episodes,
          },
          backend: p.backend ?? null,
        },
        {
          signal: controller.signal,
          onBackend: (b) => (backend = b),
          onProgress: (pr) => {
            progress(pr, false);
          },
        },
      );
      progress.flush();
      this.tracker.finish('done', null);
      const chosen = backend as ChosenBackend | null;
      const { results, embedding } = report;
      return { result: results[0]!, backend: chosen ? describeBackend(chosen) : 'unknown', embedding };
    } catch (err) {
      const cancelled = err instanceof HeadJobCancelled;
      this.tracker.finish(
        cancelled ? 'cancelled' : 'failed',
        err instanceof Error ? err.message : String(err),
      );
      if (cancelled)
        throw new UserError('Evaluation was cancelled.', 'conflict', {
          key: 'err.eval.cancelled',
          params: {},
        });
      throw asUserError(err);
    } finally {
      this.running = null;
    }
  }
}
