/**
 * A name given to two different people, on real embeddings (issue 11's trial: two blurry background
 * faces of two men named "Stranger", then Review "quite sure (96.2 %)" of a woman's half-face). One
 * library per seed: six people named from three faces each, one name given to the poorest face of each of
 * two strangers, every other face (at most 40 a person) left to recognise. Shared by the mixed-name test
 * and the trust bench.
 */
import { confidenceLevels } from '../../main/api/people';
import { identityParams } from '../../main/engine/head/model';
import { embedderPrior } from '../../main/engine/head/recognise/embedder-prior';
import {
  decideOpenSet,
  type ConfirmedFace,
  type LibraryFace,
} from '../../main/engine/head/recognise/open-set';
import { withCurrentPrototypes } from '../../main/engine/head/recognise/recognise';
import { matrix, rng, shuffled } from '../../main/engine/head/vector-math';
import type { BenchFace } from '../bench/people-data';

export const MIXED = 1000;

/** What the libraries of `seeds` showed, summed. */
export interface MixedNameResult {
  libraries: number;
  mixedAgreement: number[];
  namedAgreement: number[];
  /** Faces offered the mixed name, those of neither of its two people, and those offered as sure. */
  mixedOffered: number;
  mixedWrong: number;
  mixedSure: number;
  /** Sure suggestions of the correct names, and how many were wrong. */
  sure: number;
  sureWrong: number;
}

function oneLibrary(set: readonly BenchFace[], seed: number) {
  const random = rng(seed);
  const byLabel = new Map<string, BenchFace[]>();
  for (const f of set) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
  const labels = shuffled([...byLabel.keys()].sort(), random);
  const named = labels.filter((l) => byLabel.get(l)!.length >= 5).slice(0, 6);
  const [a, b] = shuffled(
    labels.filter((l) => !named.includes(l)),
    random,
  );
  // The degraded set has no overall quality: its tiny faces are the poorest, then its blurred ones.
  const poorness = (f: BenchFace) =>
    f.via === 'tiny' ? -2 : f.via === 'blurred' ? -1 : (f.quality?.overall ?? 1);
  const poorest = (l: string) => [...byLabel.get(l)!].sort((x, y) => poorness(x) - poorness(y))[0]!;
  const mixed = [poorest(a!), poorest(b!)];
  const truthOf = new Map<string, number>([
    ...named.map((l, k): [string, number] => [l, k + 1]),
    [a!, MIXED],
    [b!, MIXED],
  ]);
  const confirmed: ConfirmedFace[] = [];
  const faces: LibraryFace[] = [];
  const truth = new Map<number, number | null>();
  let id = 0;
  for (const l of labels) {
    const own = shuffled(byLabel.get(l)!, random).slice(0, 40);
    let shots = named.includes(l) ? 3 : 0;
    for (const f of [...mixed.filter((m) => m.label === l && !own.includes(m)), ...own]) {
      id++;
      const person = mixed.includes(f) ? MIXED : shots-- > 0 ? truthOf.get(l)! : null;
      if (person !== null)
        confirmed.push({ faceId: id, photoId: id, personId: person, embedding: f.embedding });
      else {
        faces.push({ id, photoId: id, cluster: null, embedding: f.embedding });
        truth.set(id, truthOf.get(l) ?? null);
      }
    }
  }
  const params = withCurrentPrototypes(identityParams(512, [], matrix(0, 512)), confirmed, false);
  return {
    ...decideOpenSet({ params, confirmed, faces, rejected: new Map(), prior: embedderPrior() }),
    truth,
  };
}

export function mixedNameLibraries(set: readonly BenchFace[], seeds: number): MixedNameResult {
  const r: MixedNameResult = {
    libraries: seeds,
    mixedAgreement: [],
    namedAgreement: [],
    mixedOffered: 0,
    mixedWrong: 0,
    mixedSure: 0,
    sure: 0,
    sureWrong: 0,
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const { people, decisions, truth } = oneLibrary(set, seed);
    for (const p of people) (p.personId === MIXED ? r.mixedAgreement : r.namedAgreement).push(p.agreement);
    for (const d of decisions) {
      if (!d.kind) continue;
      const sure = d.confidence >= confidenceLevels.sure;
      if (d.personId === MIXED) {
        r.mixedOffered++;
        if (truth.get(d.faceId) !== MIXED) r.mixedWrong++;
        if (sure) r.mixedSure++;
      } else if (sure) {
        r.sure++;
        if (truth.get(d.faceId) !== d.personId) r.sureWrong++;
      }
    }
  }
  return r;
}

/** The q-quantile of the values (0 the smallest, 1 the largest). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}
