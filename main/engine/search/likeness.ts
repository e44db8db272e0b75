/**
 * [Note: likeness bands] A search result's similarity is a cosine, not a chance: "43 % similar" read as
 * "43 % sure" to people trying the app. So the app says in words how alike a match is, in bands cut at
 * the similarities measured for the bundled embedder on glint_celebs24 (BENCHMARKS.md, "Search"): 99.9 %
 * of pairs of different people score below 0.37 and the median pair of one person scores 0.56.
 * - likely: at least the median same-person similarity;
 * - probable: at least the search threshold, above 99.9 % of different-person pairs;
 * - possible: at least the default grouping threshold (settings.ts, groupingThreshold), where the app
 *   itself starts to put faces together; about 1 different-person pair in 200 reaches it;
 * - unlikely: below that (shown only when a caller lowers the search threshold).
 */
import type { Likeness } from '../../api/search';

export const LIKENESS_BANDS = { likely: 0.56, probable: 0.4, possible: 0.3 } as const;

export function likenessOf(score: number): Likeness {
  if (score >= LIKENESS_BANDS.likely) return 'likely';
  if (score >= LIKENESS_BANDS.probable) return 'probable';
  if (score >= LIKENESS_BANDS.possible) return 'possible';
  return 'unlikely';
}
