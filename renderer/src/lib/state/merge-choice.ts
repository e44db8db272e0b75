/**
 * Which of two people a merge keeps, and why, so the merge bar can always say it (a tie kept the first
 * ticked without a word). Ticking two people keeps the one with more confirmed faces, the one the user has
 * taught most; on a tie, the one ticked first. Dropping one card on another keeps the one dropped on; the
 * bar's "Keep … instead" is the user's own choice.
 */
export type MergeWhy = 'more' | 'tie' | 'dropped' | 'chosen';

export interface MergeChoice {
  from: number;
  into: number;
  why: MergeWhy;
}

/** Two people ticked, `first` before `second`, with their confirmed face counts. */
export function mergeTicked(
  first: { id: number; faces: number },
  second: { id: number; faces: number },
): MergeChoice {
  if (second.faces > first.faces) return { from: first.id, into: second.id, why: 'more' };
  return { from: second.id, into: first.id, why: first.faces > second.faces ? 'more' : 'tie' };
}

/** The other one kept instead. */
export function swapped(choice: MergeChoice): MergeChoice {
  return { from: choice.into, into: choice.from, why: 'chosen' };
}
