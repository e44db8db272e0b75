/**
 * The contract's handlers, one feature map each. Adding a feature: declare its requests in main/api,
 * spread them into contract.ts, and spread its handler map here. Every feature is made the same way:
 * `createXFeature(ctx, …)` returns `{ handlers }` plus what other features may use (a service, hooks).
 */
import type { Readable } from 'node:stream';
import type { UploadReply } from '../api/app';
import type { Handlers } from '../api/contract';
import { createAppFeature } from './app-handlers';
import type { Disposable, EngineContext } from './context';
import { createHeadFeature } from './head/head-handlers';
import { createJobsFeature } from './jobs/job-handlers';
import { SharedVisionPool } from './vision/shared-vision-pool';
import { FoldersRepo } from './catalog/folders-repo';
import { createLibraryFeature } from './library/library-handlers';
import { PathAccess, type PathTrust } from './library/path-access';
import { guardPaths } from './path-rules';
import { receiveUpload } from './library/uploads';
import { poolAnalyser } from './library/vision-analyser';
import { createPeopleFeature } from './people/people-handlers';
import { createSearchFeature } from './search/search-handlers';

/** Web mode's streamed upload ([Note: streamed uploads]): stores the body, remembers it as this client's. */
export type ReceiveUpload = (body: Readable, declaredBytes?: number) => Promise<UploadReply>;

export function createHandlers(
  ctx: EngineContext,
  disposables: Disposable[],
  pathTrust: PathTrust = 'local',
): { handlers: Handlers; receiveUpload: ReceiveUpload } {
  const vision = new SharedVisionPool();
  disposables.push(vision);
  const head = createHeadFeature(ctx);
  const people = createPeopleFeature(ctx, disposables, {
    embedFromBox: vision.embedFromBox,
    afterGrouped: () => head.service.recognise(),
  });
  const handlers: Handlers = {
    ...createLibraryFeature(ctx, disposables, {
      makeAnalyser: (settings) => poolAnalyser(vision.get(), settings),
      visionPlan: () => vision.plan(),
      ...people.hooks,
    }).handlers,
    ...people.handlers,
    ...createJobsFeature(ctx.jobs).handlers,
    ...createAppFeature(ctx).handlers,
    ...createSearchFeature(ctx, disposables, { analyseImage: vision.analyseImage }).handlers,
    ...head.handlers,
  };
  const access = new PathAccess({
    trust: pathTrust,
    folders: new FoldersRepo(ctx.db),
    home: ctx.home,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return {
    handlers: guardPaths(handlers, access),
    receiveUpload: async (body, declaredBytes) => {
      const file = await receiveUpload(ctx.home, body, declaredBytes);
      await access.rememberUpload(file);
      return { path: file };
    },
  };
}
