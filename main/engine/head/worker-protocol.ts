/**
 * Messages between the engine and the head worker thread (train-worker.ts). Training and evaluation
 * are CPU-bound for seconds to minutes, so they never run on the thread that serves requests.
 */
import type { HeadProgressDto } from '../../api/head';
import type { BackendName, ChosenBackend } from './train/backends';
import type { EmbeddedSet } from './eval/eval-embeddings';
import type { EvalOptions, EvalResult } from './eval/eval-protocol';
import type { GuardReport } from './train/guard';
import type { HeadParams } from './model';
import type { ModelChoice, Recognised, RecognitionInput } from './recognise/recognition-input';
import type { TrainSettings, TrainingData } from './train/train-settings';

/** Progress as the worker reports it: the contract's event without the backend, which the service adds. */
export type HeadProgress = Omit<HeadProgressDto, 'backend'>;

export interface TrainOutcome {
  params: HeadParams;
  guard: GuardReport;
  final: { epochs: number; trainMs: number; flops: number; samples: number };
  totalMs: number;
}

export type EvalJobOptions = Omit<EvalOptions, 'onStep' | 'trainOptions' | 'settings' | 'seed'> & {
  overrides?: Partial<Omit<TrainSettings, 'loss'>>;
};

export interface EvalReport {
  results: EvalResult[];
  embedding: Omit<EmbeddedSet, 'set'> & { faces: number; people: number; dropped: number; ms: number };
}

/**
 * What the worker recognises: a catalog file it reads itself with the model the service chose, or (for a
 * catalog without a file) an input the service built. [Note: recognition reads off the serving thread]
 */
export type RecogniseJob = { dbPath: string; choice: ModelChoice } | { input: RecognitionInput };

export type WorkerRequest =
  | {
      type: 'train';
      data: TrainingData;
      settings: TrainSettings;
      episodes: number;
      targetPrecision: number;
      backend: BackendName | null;
    }
  | {
      type: 'eval';
      /** A folder-per-person set, embedded (and cached in cacheFile) inside the worker. */
      root: string;
      minImages: number;
      cacheFile: string;
      seeds: number[];
      options: EvalJobOptions;
      backend: BackendName | null;
    }
  | {
      type: 'recognise';
      job: RecogniseJob;
      backend: BackendName | null;
    }
  | { type: 'cancel' };

export type WorkerEvent =
  | { type: 'backend'; backend: ChosenBackend }
  | { type: 'progress'; progress: HeadProgress }
  | { type: 'trained'; outcome: TrainOutcome }
  | { type: 'evaluated'; report: EvalReport }
  | { type: 'recognised'; result: Recognised }
  | { type: 'failed'; message: string; cancelled: boolean };
