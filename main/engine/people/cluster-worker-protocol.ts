/** Messages between the re-group worker (cluster-worker.ts) and its job (cluster-job.ts). */
import type { GroupingPlan } from './grouping-plan';
import type { PeopleSettings } from './settings';

export interface ClusterWorkerData {
  dbPath: string;
  settings: PeopleSettings;
}

export type ClusterWorkerEvent =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'planned'; plan: GroupingPlan }
  | { type: 'failed'; message: string };
