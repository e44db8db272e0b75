/** Handlers of the jobs.* requests, over the job registry. */
import { UserError, type Handlers } from '../../api/contract';
import type { jobRequests } from '../../api/jobs';
import type { JobRegistry } from './job-registry';

export function createJobsFeature(jobs: JobRegistry): { handlers: Pick<Handlers, keyof typeof jobRequests> } {
  return {
    handlers: {
      'jobs.status': () => jobs.snapshots(),
      'jobs.cancel': ({ job }) => {
        const control = jobs.get(job);
        if (!control) throw new UserError(`No ${job} job`, 'not_found');
        control.cancel();
        return { ok: true as const };
      },
      'jobs.pause': ({ job, paused }) => {
        const control = jobs.get(job);
        if (!control?.setPaused) throw new UserError(`The ${job} job cannot be paused`);
        control.setPaused(paused);
        return { ok: true as const };
      },
    },
  };
}
