/**
 * Wires search: repository → face index → service → the search.* handlers. The index loads on the first
 * search, not when the engine opens, so commands that never search pay nothing for it.
 */
import path from 'node:path';
import type { Handlers } from '../../api/contract';
import type { searchRequests } from '../../api/search';
import type { Disposable, EngineContext } from '../context';
import { DEFAULT_INDEX_OPTIONS, FaceIndex, type FaceIndexOptions } from './face-index';
import { SearchRepo } from '../catalog/search-repo';
import { SearchService } from './search-service';
import type { AnalyseImage } from '../vision/shared-vision-pool';

export interface SearchFeatureOptions {
  /** Finds faces in a query image (the engine passes its shared vision pool's, see handlers.ts). */
  analyseImage: AnalyseImage;
  index?: Partial<FaceIndexOptions>;
}

export interface SearchFeature {
  service: SearchService;
  handlers: Pick<Handlers, keyof typeof searchRequests>;
}

/** The saved graph sits in the data folder, named after the catalog file so two catalogs never share one. */
function annFileFor(ctx: EngineContext): string | null {
  const name = ctx.db.name;
  if (!name || name === ':memory:') return null;
  return path.join(ctx.home, 'search', `${path.basename(name).replace(/\.[^.]+$/, '')}.faces.usearch`);
}

export function createSearchFeature(
  ctx: EngineContext,
  disposables: Disposable[],
  options: SearchFeatureOptions,
): SearchFeature {
  const repo = new SearchRepo(ctx.db);
  const index = new FaceIndex(repo, { ...DEFAULT_INDEX_OPTIONS, annFile: annFileFor(ctx), ...options.index });
  disposables.push({
    dispose: () => {
      index.close();
    },
  });
  const service = new SearchService({ repo, index, analyseImage: options.analyseImage });
  const filters = (p: {
    folder?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
  }) => ({
    folder: p.folder !== undefined ? path.resolve(p.folder) : undefined,
    from: p.from,
    to: p.to,
  });
  return {
    service,
    handlers: {
      'search.byFace': (p) => ({ results: service.searchByFace(p.faceId, { ...p, ...filters(p) }) }),
      'search.byImage': (p) => service.searchByImage(path.resolve(p.path), { ...p, ...filters(p) }),
      'search.byEmbedding': (p) => ({
        results: service.searchByEmbedding(p.embedding, { ...p, ...filters(p) }),
      }),
      'search.byPeople': (p) => service.searchByPeople(p.people, { ...p, ...filters(p) }),
      'search.status': () => service.status(),
    },
  };
}
