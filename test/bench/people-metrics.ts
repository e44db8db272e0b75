/**
 * Clustering quality against true identities: pairwise and BCubed precision/recall/F, splits (groups
 * per true person) and merges (true people per group). A face in no group counts as a group of its own
 * (it is neither merged with nor found together with anyone).
 */

export interface ClusterScores {
  pairwise: { p: number; r: number; f: number };
  bcubed: { p: number; r: number; f: number };
  /** Mean number of groups a true person's faces are spread over (1 is perfect). */
  splitsPerPerson: number;
  /** Mean number of true people in a predicted group of ≥ 2 faces (1 is perfect). */
  peoplePerGroup: number;
  groups: number;
  ungrouped: number;
}

const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/** Predicted group per item (−1 = none); truth per item. */
export function scoreClustering(predicted: ArrayLike<number>, truth: readonly string[]): ClusterScores {
  const n = truth.length;
  let next = -2;
  const pred = Array.from({ length: n }, (_, i) => {
    const g = predicted[i]!;
    return g >= 0 ? g : next--; // each ungrouped face is its own singleton
  });
  const clusterSize = new Map<number, number>();
  const classSize = new Map<string, number>();
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    clusterSize.set(pred[i]!, (clusterSize.get(pred[i]!) ?? 0) + 1);
    classSize.set(truth[i]!, (classSize.get(truth[i]!) ?? 0) + 1);
    const key = `${pred[i]}\u0000${truth[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  let bp = 0;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const both = joint.get(`${pred[i]}\u0000${truth[i]}`)!;
    bp += both / clusterSize.get(pred[i]!)!;
    br += both / classSize.get(truth[i]!)!;
  }
  bp /= n;
  br /= n;
  const pairs = (m: number): number => (m * (m - 1)) / 2;
  let tp = 0;
  for (const c of joint.values()) tp += pairs(c);
  let predPairs = 0;
  for (const c of clusterSize.values()) predPairs += pairs(c);
  let truePairs = 0;
  for (const c of classSize.values()) truePairs += pairs(c);
  const pp = predPairs > 0 ? tp / predPairs : 1;
  const pr = truePairs > 0 ? tp / truePairs : 1;

  const groupsPerPerson = new Map<string, Set<number>>();
  const peopleInGroup = new Map<number, Set<string>>();
  for (let i = 0; i < n; i++) {
    let s = groupsPerPerson.get(truth[i]!);
    if (!s) groupsPerPerson.set(truth[i]!, (s = new Set()));
    s.add(pred[i]!);
    let t = peopleInGroup.get(pred[i]!);
    if (!t) peopleInGroup.set(pred[i]!, (t = new Set()));
    t.add(truth[i]!);
  }
  let splits = 0;
  for (const s of groupsPerPerson.values()) splits += s.size;
  let merges = 0;
  let multi = 0;
  for (const [g, t] of peopleInGroup) {
    if (clusterSize.get(g)! < 2) continue;
    merges += t.size;
    multi++;
  }
  let ungrouped = 0;
  for (let i = 0; i < n; i++) if (predicted[i]! < 0) ungrouped++;
  return {
    pairwise: { p: pp, r: pr, f: f1(pp, pr) },
    bcubed: { p: bp, r: br, f: f1(bp, br) },
    splitsPerPerson: splits / groupsPerPerson.size,
    peoplePerGroup: multi > 0 ? merges / multi : 1,
    groups: [...clusterSize.keys()].filter((g) => g >= 0).length,
    ungrouped,
  };
}
