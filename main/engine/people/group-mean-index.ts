/**
 * [Note: a kept index of group means] Incremental grouping finds the groups a face (or a changed group)
 * may join by searching the groups' mean directions. Built for each search, IVF lists over 100 000+
 * group means cost seconds (placing every mean in its list), and one merged group's search over every
 * mean cost 60–100 ms — hundreds of them made an incremental run of 1 000 new faces take 30 s at 250 000
 * faces. This index keeps the lists between runs: centroids are trained once (again when the number of
 * groups has doubled or halved), and only the groups whose summary changed are coded and placed again.
 * A search returns candidates by int8 similarity (within `margin` of the floor, the best `k` of each
 * probed list); the caller scores them exactly with the current means, so only the choice of candidates
 * is approximate, as with the IVF lists of a full run ([Note: grouping neighbours from IVF lists]).
 * The lists depend on when the centroids were trained, so two runs over the same groups may differ in a
 * candidate the lists missed; the exact scores keep every choice the run makes one the exact search
 * could make.
 */
import { DIMENSIONS, quantise } from '../search/face-vectors';
import { CODE_DOT, codesOf, nearestCentroids, scanProbedLists, trainCentroids } from './ann-neighbours';

export interface GroupIndexOptions {
  /** Groups per list, on average, when trained. */
  listSize: number;
  /** Lists searched per vector. */
  probes: number;
  /** Up to this many vectors (one merged group's search), `fewProbes` lists each, on one thread: see search(). */
  fewQueries: number;
  fewProbes: number;
  /** Candidates within this much below the floor (by int8 similarity) are kept for exact scoring. */
  margin: number;
  threads: number;
}

/**
 * Measured on an incremental run of 1 000 new faces at 250 000 faces (115 000 groups): searching about a
 * tenth of the means (12 probes of lists of 1 024, as the per-run IVF lists this replaces did) kept the
 * merges of the exact candidates within a few tens of groups; a twentieth (12 probes of 512) lost about
 * 90 (114 666 groups against 114 578). A merged group's own search (hundreds per such run, one vector
 * each) matters far less — four times the lists found 10 more merges — so it scans 4 lists. Fewer,
 * larger lists also halve the build (placing every mean against every centroid).
 */
export const GROUP_INDEX_OPTIONS: GroupIndexOptions = {
  listSize: 1024,
  probes: 12,
  fewQueries: 16,
  fewProbes: 4,
  margin: 0.05,
  threads: 2,
};

/**
 * Trained centroids and each mean's list, computed where the means are (the full re-group's worker) and
 * adopted by the serving thread's index: [Note: the index of means from the full re-group].
 */
export interface MeanIndexLayout {
  centroidCodes: Int8Array;
  /** Per mean given to layoutOf, in that order: its list. */
  home: Int32Array;
}

/** Centroids trained on `means` and the list of each: what build() computes, for adopt(). */
export function layoutOf(means: readonly Float32Array[], options = GROUP_INDEX_OPTIONS): MeanIndexLayout {
  const centroidCodes = trainedCentroidCodes(means, options);
  return { centroidCodes, home: homesOf(centroidCodes, means, options.threads) };
}

function trainedCentroidCodes(means: readonly Float32Array[], options: GroupIndexOptions): Int8Array {
  const lists = Math.max(1, Math.round(means.length / options.listSize));
  const centroids = trainCentroids(means, lists, options.threads);
  const codes = new Int8Array(centroids.length);
  for (let c = 0; c < lists; c++)
    quantise(centroids.subarray(c * DIMENSIONS, (c + 1) * DIMENSIONS), codes, c * DIMENSIONS);
  return codes;
}

function homesOf(centroidCodes: Int8Array, means: readonly Float32Array[], threads: number): Int32Array {
  return nearestCentroids(centroidCodes, codesOf(means), 1, threads);
}

/** One inverted list: its groups and their int8 codes, packed row by row (capacity grows by doubling). */
interface List<K> {
  keys: K[];
  codes: Int8Array;
}

export class GroupMeanIndex<K> {
  private centroidCodes: Int8Array | null = null;
  private lists: List<K>[] = [];
  private readonly place = new Map<K, { list: number; at: number }>();
  private trainedFor = 0;
  /** Means set since the last search (null: the group is gone). */
  private readonly pending = new Map<K, Float32Array | null>();

  constructor(private readonly options: GroupIndexOptions = GROUP_INDEX_OPTIONS) {}

  /** Whether the index must be built again from every mean (never built, or the groups have doubled or halved). */
  needsBuild(): boolean {
    if (this.centroidCodes === null) return true;
    // Placed and waiting groups (a waiting removal counts too: close enough for a factor of two).
    const n = this.place.size + this.pending.size;
    return n > 2 * this.trainedFor || n < this.trainedFor / 2;
  }

  /** Trains centroids on the means and places every one; `entries` in a deterministic order. */
  build(entries: readonly (readonly [K, Float32Array])[]): void {
    this.train(entries.map(([, m]) => m));
    this.insert(entries);
  }

  /**
   * Trains centroids on `means` and empties the lists: the groups are then placed by set() and settle(),
   * a slice at a time ([Note: warming the grouping state]).
   */
  train(means: readonly Float32Array[]): void {
    this.start(trainedCentroidCodes(means, this.options), means.length);
  }

  /**
   * [Note: the index of means from the full re-group] Takes centroids and lists computed elsewhere
   * (layoutOf over `trainedFor` means, in the full re-group's worker) and places `entries` in their given
   * lists: the first incremental run after a full re-group at 250 000 faces otherwise spent seconds
   * training and placing 115 000 means on the serving thread. Groups not given are placed by set().
   */
  adopt(
    layout: MeanIndexLayout,
    trainedFor: number,
    entries: readonly (readonly [K, Float32Array, number])[],
  ): void {
    this.start(layout.centroidCodes, trainedFor);
    this.placeAll(
      entries.map(([key, mean]) => [key, mean] as const),
      codesOf(entries.map(([, mean]) => mean)),
      Int32Array.from(entries, ([, , home]) => home),
    );
  }

  private start(centroidCodes: Int8Array, trainedFor: number): void {
    this.place.clear();
    this.pending.clear();
    this.centroidCodes = centroidCodes;
    this.lists = Array.from({ length: centroidCodes.length / DIMENSIONS }, () => ({
      keys: [],
      codes: new Int8Array(0),
    }));
    this.trainedFor = trainedFor;
  }

  /** Applies up to `limit` of the changes set() recorded; how many are left. */
  settle(limit = Infinity): number {
    if (this.pending.size === 0) return 0;
    const added: [K, Float32Array][] = [];
    let n = 0;
    for (const [key, mean] of this.pending) {
      if (n++ >= limit) break;
      this.pending.delete(key);
      this.remove(key);
      if (mean) added.push([key, mean]);
    }
    this.insert(added);
    return this.pending.size;
  }

  /** Forgets everything (the next search needs a build). */
  clear(): void {
    this.centroidCodes = null;
    this.lists = [];
    this.place.clear();
    this.pending.clear();
    this.trainedFor = 0;
  }

  /** A group's mean changed (null: the group is gone or shapes nothing); applied before the next search. */
  set(key: K, mean: Float32Array | null): void {
    if (this.centroidCodes !== null) this.pending.set(key, mean);
  }

  /**
   * Per vector, candidate groups to score exactly: those within the margin of `floor` by int8
   * similarity, at most `k` from each probed list (one native scan per list for all the vectors that
   * probe it). [Note: a merged group's search, natively] A few vectors (one merged group's search,
   * hundreds per incremental run at 250 000 faces) scan their few lists on one thread: starting the
   * threads of a two-thread scan costs about eight times a 1 000-row int8 scan (0.47 against 0.06 ms,
   * measured), and handing every group of the probed lists to exact scoring instead (4 000 means in JS,
   * about 2.6 ms) made those searches most of such a run.
   */
  search(vectors: readonly Float32Array[], floor: number, k: number): K[][] {
    this.settle();
    const out: K[][] = vectors.map(() => []);
    const centroidCodes = this.centroidCodes;
    if (!centroidCodes || vectors.length === 0) return out;
    const lists = this.lists.length;
    const few = vectors.length <= this.options.fewQueries;
    const probes = Math.min(lists, few ? this.options.fewProbes : this.options.probes);
    const threads = few ? 1 : this.options.threads;
    const queryCodes = new Int8Array(vectors.length * DIMENSIONS);
    vectors.forEach((v, i) => {
      quantise(v, queryCodes, i * DIMENSIONS);
    });
    const probed = nearestCentroids(centroidCodes, queryCodes, probes, threads);
    const listsOf = {
      count: lists,
      rows: (c: number) => this.lists[c]!.keys.length,
      // subarray(0, n): a view at byte 0, [Note: usearch offsets].
      codes: (c: number) => this.lists[c]!.codes.subarray(0, this.lists[c]!.keys.length * DIMENSIONS),
    };
    const cut = (floor - this.options.margin) * CODE_DOT;
    scanProbedLists(queryCodes, probed, probes, listsOf, k, cut, threads, (q, c, row) => {
      out[q]!.push(this.lists[c]!.keys[row]!);
    });
    return out;
  }

  private insert(entries: readonly (readonly [K, Float32Array])[]): void {
    if (entries.length === 0 || !this.centroidCodes) return;
    const codes = codesOf(entries.map(([, mean]) => mean));
    this.placeAll(entries, codes, nearestCentroids(this.centroidCodes, codes, 1, this.options.threads));
  }

  /** Adds each entry (its int8 code the i-th row of `codes`) to its list `home[i]`. */
  private placeAll(
    entries: readonly (readonly [K, Float32Array])[],
    codes: Int8Array,
    home: Int32Array,
  ): void {
    entries.forEach(([key], i) => {
      const list = this.lists[home[i]!]!;
      const at = list.keys.length;
      if ((at + 1) * DIMENSIONS > list.codes.length) {
        const grown = new Int8Array(Math.max(64, 2 * (at + 1)) * DIMENSIONS);
        grown.set(list.codes);
        list.codes = grown;
      }
      list.codes.set(codes.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS), at * DIMENSIONS);
      list.keys.push(key);
      this.place.set(key, { list: home[i]!, at });
    });
  }

  private remove(key: K): void {
    const at = this.place.get(key);
    if (!at) return;
    const list = this.lists[at.list]!;
    const last = list.keys.length - 1;
    if (at.at !== last) {
      // The last row takes the removed one's place.
      const moved = list.keys[last]!;
      list.keys[at.at] = moved;
      list.codes.copyWithin(at.at * DIMENSIONS, last * DIMENSIONS, (last + 1) * DIMENSIONS);
      this.place.set(moved, at);
    }
    list.keys.pop();
    this.place.delete(key);
  }
}
