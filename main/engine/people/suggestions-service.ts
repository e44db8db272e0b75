/**
 * The review queue: "Is this NAME?" for faces the machine suggested. Ordered so each click does the most:
 * first the suggestions at least `suggestSure` confident, most confident first (quick bulk "yes"); then
 * the uncertain ones, smallest margin first — the margin being how much more the face resembles the
 * suggested person than the next most similar person. Those answers are the ones that teach the
 * recogniser (the trained head) the most (margin sampling, the usual active-learning criterion).
 */
import type { ClusterRepo } from '../catalog/cluster-repo';
import type { PeopleSettings } from './settings';
import { addInto, dot } from './vectors';

export interface Suggestion {
  faceId: number;
  photoId: number;
  photoPath: string;
  box: { x: number; y: number; w: number; h: number };
  person: { id: number; name: string };
  confidence: number;
  /** Similarity to the suggested person minus that to the next most similar person (1 when there is none). */
  margin: number;
  tier: 'sure' | 'review';
  source: string;
}

export class SuggestionsService {
  constructor(
    private readonly clusters: ClusterRepo,
    private readonly settings: () => PeopleSettings,
  ) {}

  list(options: { limit?: number; person?: number } = {}): Suggestion[] {
    const { suggestSure } = this.settings();
    const rows = this.clusters
      .suggestions()
      .filter((r) => options.person === undefined || r.person.id === options.person);
    const centroids: { person: number; sum: Float32Array; n: number }[] = [];
    for (const [person, vs] of this.clusters.confirmedByPerson()) {
      const sum = new Float32Array(vs[0]!.length);
      for (const v of vs) addInto(sum, v);
      centroids.push({ person, sum, n: vs.length });
    }
    const out = rows.map((r): Suggestion => {
      let own = r.confidence;
      let other = -Infinity;
      for (const c of centroids) {
        const s = dot(c.sum, r.embedding) / c.n;
        if (c.person === r.person.id) own = s;
        else if (s > other) other = s;
      }
      return {
        faceId: r.faceId,
        photoId: r.photoId,
        photoPath: r.photoPath,
        box: r.box,
        person: r.person,
        confidence: r.confidence,
        margin: Number.isFinite(other) ? own - other : 1,
        tier: r.confidence >= suggestSure ? 'sure' : 'review',
        source: r.source,
      };
    });
    out.sort((a, b) => {
      if (a.tier !== b.tier) return a.tier === 'sure' ? -1 : 1;
      if (a.tier === 'sure') return b.confidence - a.confidence || a.faceId - b.faceId;
      return a.margin - b.margin || a.faceId - b.faceId;
    });
    return options.limit !== undefined ? out.slice(0, options.limit) : out;
  }
}
