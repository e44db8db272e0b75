/** The head's contract handlers: wires the repositories into HeadService and maps each request to it. */
import type { Handlers } from '../../api/contract';
import { UserError } from '../../api/contract';
import { AssignmentsRepo } from '../catalog/assignments-repo';
import { FacesRepo } from '../catalog/faces-repo';
import { HeadsRepo } from '../catalog/heads-repo';
import { PeopleRepo } from '../catalog/people-repo';
import type { EngineContext } from '../context';
import { HeadService } from './head-service';

type HeadHandlers = Pick<
  Handlers,
  'head.train' | 'head.list' | 'head.activate' | 'head.rollback' | 'head.recognise' | 'head.eval'
>;

export function createHeadFeature(ctx: EngineContext): { handlers: HeadHandlers; service: HeadService } {
  const service = new HeadService(
    {
      faces: new FacesRepo(ctx.db),
      assignments: new AssignmentsRepo(ctx.db),
      people: new PeopleRepo(ctx.db),
      heads: new HeadsRepo(ctx.db),
      transaction: (fn) => ctx.db.transaction(fn)(),
    },
    ctx.emit,
    ctx.jobs,
    // The worker needs a file it can open; a catalog in memory (or an anonymous one) is read here.
    ctx.db.memory || !ctx.db.name ? null : ctx.db.name,
  );
  const handlers: HeadHandlers = {
    'head.train': (p) => service.train(p),
    'head.list': () => service.list(),
    'head.activate': (p) => service.activate(p.id, p.force),
    'head.rollback': () => ({ active: service.rollback() }),
    'head.recognise': () => service.recognise(),
    'head.eval': (p) => {
      if (!p.root.trim()) throw new UserError('eval needs a folder.');
      return service.evaluate(p, ctx.home);
    },
  };
  return { handlers, service };
}
