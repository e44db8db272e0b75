/**
 * From per-face posteriors to what the user sees (see [Note: calibrated recognition] in open-set.ts):
 * - Group-aware: faces the grouping put in one unnamed group are decided together. The group is offered
 *   a name when its median face says so ("these 5 faces look like Ann"), with that median as the
 *   confidence; a face of a group that does not match is left in its group unless its own evidence
 *   reaches the "sure" level, so a weak match never pulls a face out of a group of its own people.
 * - Two faces in one photo are two people: when two candidates of one photo want the same name, the
 *   surer keeps it and the other falls back to its next person (renormalised without the first).
 * - Kinds: auto-named only at the auto level and with at least three labelled faces of the person;
 *   suggested at the suggest level; otherwise nothing.
 */
/** A name given to a face (or to its whole unnamed group), with how sure it is. */
export interface NameDecision {
  faceId: number;
  personId: number;
  /** The posterior chance the name is right. */
  confidence: number;
  /** The face's cosine to the person's prototype in the model's space. */
  score: number;
  kind: 'auto' | 'suggested' | null;
  /** Set when the name was decided for the face's whole unnamed group. */
  group: number | null;
}

export interface Levels {
  auto: number;
  sure: number;
  suggest: number;
}

export interface GroupDecisionInput {
  faces: readonly { id: number; photoId: number; cluster: number | null }[];
  classes: readonly number[];
  /** N×K posterior (0 where a face cannot be that person). */
  posterior: Float64Array;
  /** N×K scores in the model's space. */
  scores: Float32Array;
  labelled: Int32Array;
  levels: Levels;
}

/** Minimum labelled faces of a person before Visage names anybody after them without asking. */
const AUTO_MIN_LABELLED = 3;

interface Candidate {
  cls: number;
  confidence: number;
  group: number | null;
  /** Whether this face may fall back to another person when it loses a same-photo conflict. */
  fallback: boolean;
}

function bestOf(posterior: Float64Array, i: number, K: number, without?: Set<number>): Candidate | null {
  let cls = -1;
  let best = 0;
  let lost = 0;
  for (let c = 0; c < K; c++) {
    const p = posterior[i * K + c]!;
    if (without?.has(c)) {
      lost += p;
      continue;
    }
    if (p > best) [best, cls] = [p, c];
  }
  if (cls < 0) return null;
  // Renormalised: the face is not any of the people it lost to.
  return { cls, confidence: lost < 1 ? best / (1 - lost) : 0, group: null, fallback: true };
}

const medianOf = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function decideGroups(input: GroupDecisionInput): NameDecision[] {
  const { faces, classes, posterior, scores, labelled, levels } = input;
  const K = classes.length;
  const N = faces.length;
  const candidates: (Candidate | null)[] = new Array<Candidate | null>(N).fill(null);
  const members = new Map<number, number[]>();
  faces.forEach((f, i) => {
    if (f.cluster !== null) members.set(f.cluster, [...(members.get(f.cluster) ?? []), i]);
  });
  for (let i = 0; i < N; i++) {
    const f = faces[i]!;
    const own = bestOf(posterior, i, K);
    if (f.cluster === null || members.get(f.cluster)!.length < 2) candidates[i] = own;
  }
  for (const [cluster, idx] of members) {
    if (idx.length < 2) continue;
    let gc = -1;
    let gconf = 0;
    for (let c = 0; c < K; c++) {
      const m = medianOf(idx.map((i) => posterior[i * K + c]!));
      if (m > gconf) [gconf, gc] = [m, c];
    }
    for (const i of idx) {
      const own = bestOf(posterior, i, K);
      if (gc >= 0 && gconf >= levels.suggest && posterior[i * K + gc]! > 0) {
        // The group's statement; a face is auto-named only if its own evidence is that strong too.
        const mine = posterior[i * K + gc]!;
        candidates[i] = {
          cls: gc,
          confidence:
            mine >= levels.auto ? Math.max(mine, gconf) : Math.min(gconf, Math.max(mine, levels.suggest)),
          group: cluster,
          fallback: false,
        };
      } else if (own && own.confidence >= levels.sure) {
        candidates[i] = { ...own, fallback: false };
      }
    }
  }

  // Two faces in one photo are two people.
  const byPhoto = new Map<number, number[]>();
  faces.forEach((f, i) => byPhoto.set(f.photoId, [...(byPhoto.get(f.photoId) ?? []), i]));
  for (const idx of byPhoto.values()) {
    if (idx.length < 2) continue;
    const taken = new Set<number>();
    const order = idx
      .filter((i) => candidates[i])
      .sort((a, b) => candidates[b]!.confidence - candidates[a]!.confidence || a - b);
    for (const i of order) {
      let cand = candidates[i]!;
      if (taken.has(cand.cls)) {
        const next = cand.fallback ? bestOf(posterior, i, K, taken) : null;
        if (!next) {
          candidates[i] = null;
          continue;
        }
        cand = next;
        candidates[i] = next;
      }
      if (cand.confidence >= levels.suggest) taken.add(cand.cls);
    }
  }

  const out: NameDecision[] = [];
  faces.forEach((f, i) => {
    const cand = candidates[i];
    if (!cand) {
      out.push({ faceId: f.id, personId: classes[0]!, confidence: 0, score: 0, kind: null, group: null });
      return;
    }
    const auto = cand.confidence >= levels.auto && labelled[cand.cls]! >= AUTO_MIN_LABELLED;
    out.push({
      faceId: f.id,
      personId: classes[cand.cls]!,
      confidence: cand.confidence,
      score: scores[i * K + cand.cls]!,
      kind: auto ? 'auto' : cand.confidence >= levels.suggest ? 'suggested' : null,
      group: cand.group,
    });
  });
  return out;
}
