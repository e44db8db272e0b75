/**
 * The review queue: "Is this NAME?" for faces the machine suggested. Faces of one unnamed group suggested
 * to the same person are one question ("these 5 faces look like Ann"), since recognition decided them
 * together (see [Note: calibrated recognition]). Ordered so each click does the most: first the "sure"
 * items (every face at least `confidenceLevels.sure`, the posterior chance that the name is right), most
 * confident first (quick bulk "yes"); then the uncertain ones, smallest margin first — the margin being
 * how much more the face resembles the suggested person than the next most similar person. Those
 * answers teach the recogniser the most (margin sampling, the usual active-learning criterion).
 */
import { confidenceLevels } from '../../api/people';
import type { ClusterRepo, SuggestionRow } from '../catalog/cluster-repo';
import { dot } from '../embedding-dot';
import { addInto } from './vectors';

export interface Suggestion {
  faceId: number;
  faceIds: number[];
  group: number | null;
  photoId: number;
  photoPath: string;
  photoSize: { width: number; height: number } | null;
  box: { x: number; y: number; w: number; h: number };
  person: { id: number; name: string };
  confidence: number;
  /** Similarity to the suggested person minus that to the next most similar person (1 when there is none). */
  margin: number;
  tier: 'sure' | 'review';
  source: string;
}

export class SuggestionsService {
  constructor(private readonly clusters: ClusterRepo) {}

  list(options: { limit?: number; person?: number } = {}): Suggestion[] {
    const rows = this.clusters
      .suggestions()
      .filter((r) => options.person === undefined || r.person.id === options.person);
    const centroids: { person: number; sum: Float32Array; n: number }[] = [];
    for (const [person, vs] of this.clusters.confirmedByPerson()) {
      const sum = new Float32Array(vs[0]!.length);
      for (const v of vs) addInto(sum, v);
      centroids.push({ person, sum, n: vs.length });
    }
    const margin = (r: SuggestionRow): number => {
      let own = r.confidence;
      let other = -Infinity;
      for (const c of centroids) {
        const s = dot(c.sum, r.embedding) / c.n;
        if (c.person === r.person.id) own = s;
        else if (s > other) other = s;
      }
      return Number.isFinite(other) ? own - other : 1;
    };
    // One item per (unnamed group, person); faces in no group stand alone.
    const items = new Map<string, SuggestionRow[]>();
    for (const r of rows) {
      const key = r.cluster === null ? `face:${r.faceId}` : `group:${r.cluster}:${r.person.id}`;
      items.set(key, [...(items.get(key) ?? []), r]);
    }
    const out = [...items.values()].map((members): Suggestion => {
      const sorted = [...members].sort((a, b) => b.confidence - a.confidence || a.faceId - b.faceId);
      const lead = sorted[0]!;
      const least = sorted[sorted.length - 1]!.confidence;
      return {
        faceId: lead.faceId,
        faceIds: sorted.map((r) => r.faceId),
        group: members.length > 1 ? lead.cluster : null,
        photoId: lead.photoId,
        photoPath: lead.photoPath,
        photoSize: lead.photoSize,
        box: lead.box,
        person: lead.person,
        confidence: least,
        margin: Math.min(...members.map(margin)),
        tier: least >= confidenceLevels.sure ? 'sure' : 'review',
        source: lead.source,
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
