/**
 * Picks how clustering finds its candidate neighbours: the exact O(n²·d) search (neighbours.ts) while it
 * is cheap, the IVF lists (ann-neighbours.ts) beyond. Both return exact similarities above the floor;
 * only the IVF lists may miss a neighbour, and the people bench measures how little that changes the
 * groups ([Note: grouping neighbours from IVF lists]).
 */
import { DEFAULT_ANN_OPTIONS, ivfNearestAbove, type AnnOptions } from './ann-neighbours';
import { nearestAbove } from './neighbours';

/** Query × base pairs up to which the exact search runs (about 6 000 faces against themselves). */
export const EXACT_PAIR_LIMIT = 36_000_000;
/**
 * Largest base the exact search scans: a few thousand gated-out faces against a library of 20 000 are
 * within the pair limit yet cost 18 s in the JS scan (measured at 20 000 faces), against about 1 s in
 * the IVF lists' native int8 kernel. The shared sets (at most 3 503 faces) stay exact.
 */
export const EXACT_BASE_LIMIT = 8_000;
/** A handful of queries (one merged group's candidates) is scanned exactly whatever the base: no index to build. */
export const EXACT_FEW_QUERIES = 16;

export interface NeighbourSearch {
  /** Pairs up to which the search is exact; 0 always uses the IVF lists. */
  exactPairLimit?: number;
  ann?: AnnOptions;
}

/** Whether neighboursAbove answers these sizes with the exact search (no IVF lists). */
export function searchesExactly(queries: number, base: number, search: NeighbourSearch = {}): boolean {
  const limit = search.exactPairLimit ?? EXACT_PAIR_LIMIT;
  return (
    queries * base <= limit &&
    (limit === Infinity || base <= EXACT_BASE_LIMIT || queries <= EXACT_FEW_QUERIES)
  );
}

export function neighboursAbove(
  queries: readonly Float32Array[],
  base: readonly Float32Array[],
  floor: number,
  k: number,
  sameSet: boolean,
  search: NeighbourSearch = {},
): number[][] {
  if (searchesExactly(queries.length, base.length, search))
    return nearestAbove(queries, base, floor, k, sameSet);
  return ivfNearestAbove(queries, base, floor, k, sameSet, search.ann ?? DEFAULT_ANN_OPTIONS);
}
