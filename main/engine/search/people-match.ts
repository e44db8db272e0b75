/**
 * Several people in one photo: keeps the photos where every person has a face, with a different face for
 * each (one face is never two people), and ranks them by their weakest link: how the least certain
 * person was matched (confirmed, then auto-assigned, then similar), then that person's score.
 */

/** How a result's face is tied to the person searched for. */
export type MatchKind = 'confirmed' | 'auto' | 'similar';

export interface PersonFace {
  faceId: number;
  score: number;
  match: MatchKind;
}

/** One person's candidate faces, by photo id. */
export type PersonPhotos = Map<number, PersonFace[]>;

export interface MergedPhoto {
  photoId: number;
  score: number;
  /** One face per person, in the order the people were given. */
  faces: PersonFace[];
}

const PRIORITY: Record<MatchKind, number> = { confirmed: 0, auto: 1, similar: 2 };

const better = (a: PersonFace, b: PersonFace) => PRIORITY[a.match] - PRIORITY[b.match] || b.score - a.score;

export function mergePeople(people: PersonPhotos[]): MergedPhoto[] {
  const first = people[0];
  if (!first) return [];
  // People with the fewest candidate faces choose first, so a greedy choice rarely blocks someone else.
  const order = people.map((_, i) => i);
  const ranked: (MergedPhoto & { worst: number })[] = [];
  for (const photoId of first.keys()) {
    const lists = people.map((p) => p.get(photoId));
    if (lists.some((l) => !l || l.length === 0)) continue;
    order.sort((a, b) => lists[a]!.length - lists[b]!.length);
    const used = new Set<number>();
    const chosen: PersonFace[] = new Array<PersonFace>(people.length);
    let ok = true;
    for (const i of order) {
      const pick = [...lists[i]!].sort(better).find((f) => !used.has(f.faceId));
      if (!pick) {
        ok = false;
        break;
      }
      used.add(pick.faceId);
      chosen[i] = pick;
    }
    if (!ok) continue;
    const worst = chosen.reduce((w, f) => (better(f, w) > 0 ? f : w));
    ranked.push({ photoId, score: worst.score, faces: chosen, worst: PRIORITY[worst.match] });
  }
  ranked.sort((a, b) => a.worst - b.worst || b.score - a.score || a.photoId - b.photoId);
  return ranked.map(({ photoId, score, faces }) => ({ photoId, score, faces }));
}
