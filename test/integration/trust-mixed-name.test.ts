/**
 * A name given to two different people (issue 11's trial: two blurry background faces of two men named
 * "Stranger", then Review "quite sure (96.2 %)" of a woman's half-face), on real embeddings of the shared
 * sets: for each seed, six people are named from three faces each and one name is given to the poorest
 * face of each of two strangers; every other face is left to recognise. What must hold
 * ([Note: a name's own faces agree] in open-set.ts):
 * - the mixed name's agreement is low, and a correct name's is high (medians: two strangers can look alike);
 * - the mixed name is never "sure" and is offered for almost nothing;
 * - the correct names keep their sure suggestions, all right.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
import { loadBenchSet, type BenchFace, type BenchSet } from '../bench/people-data';

const MIXED = 1000;
const SEEDS = 20;
// Measured (2026-12-02): the mixed name offered for 0 (lfw_dev) and 42 (bollywood_33) faces in 20
// libraries, against 46 and 200 before names had to agree; median agreement 0.18 and 0.22.

function run(set: readonly BenchFace[], seed: number) {
  const random = rng(seed);
  const byLabel = new Map<string, BenchFace[]>();
  for (const f of set) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
  const labels = shuffled([...byLabel.keys()].sort(), random);
  const named = labels.filter((l) => byLabel.get(l)!.length >= 5).slice(0, 6);
  const [a, b] = shuffled(
    labels.filter((l) => !named.includes(l)),
    random,
  );
  const poorest = (l: string) =>
    [...byLabel.get(l)!].sort((x, y) => (x.quality?.overall ?? 1) - (y.quality?.overall ?? 1))[0]!;
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

for (const name of ['lfw_dev', 'bollywood_33'] as BenchSet[]) {
  test(`${name}: a name given to two different people is never sure and offered for almost nothing`, async (t) => {
    const set = await loadBenchSet(name);
    const mixedAgreement: number[] = [];
    const namedAgreement: number[] = [];
    let mixedOffered = 0;
    let mixedWrong = 0;
    let sure = 0;
    let sureWrong = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { people, decisions, truth } = run(set, seed);
      for (const p of people) (p.personId === MIXED ? mixedAgreement : namedAgreement).push(p.agreement);
      for (const d of decisions) {
        if (!d.kind) continue;
        if (d.personId === MIXED) {
          mixedOffered++;
          if (truth.get(d.faceId) !== MIXED) mixedWrong++;
          assert.ok(
            d.confidence < confidenceLevels.sure,
            `seed ${seed}: the mixed name was sure (${d.confidence})`,
          );
        } else if (d.confidence >= confidenceLevels.sure) {
          sure++;
          if (truth.get(d.faceId) !== d.personId) sureWrong++;
        }
      }
    }
    const sorted = (v: number[]) => [...v].sort((x, y) => x - y);
    const at = (v: number[], q: number) => sorted(v)[Math.floor(q * (v.length - 1))]!;
    t.diagnostic(
      `${name}: mixed agreement median ${at(mixedAgreement, 0.5).toFixed(3)}, max ${at(mixedAgreement, 1).toFixed(3)}; named agreement p5 ${at(namedAgreement, 0.05).toFixed(3)}, median ${at(namedAgreement, 0.5).toFixed(3)}; mixed offered ${mixedOffered} in ${SEEDS} libraries (${mixedWrong} of neither person); sure ${sure} (${sureWrong} wrong)`,
    );
    // Two strangers can look alike (a few mixed names agree), so the medians speak for the rule.
    assert.ok(at(mixedAgreement, 0.5) < 0.35, `mixed names agree: median ${at(mixedAgreement, 0.5)}`);
    assert.ok(at(namedAgreement, 0.5) > 0.99, `correct names disagree: median ${at(namedAgreement, 0.5)}`);
    assert.ok(
      mixedOffered <= 2.5 * SEEDS,
      `the mixed name was offered for ${mixedOffered} faces in ${SEEDS} libraries`,
    );
    assert.ok(sure >= SEEDS * 10, `correct names lost their sure suggestions: ${sure}`);
    assert.ok(sureWrong / sure <= 0.05, `sure suggestions wrong: ${sureWrong}/${sure}`);
  });
}
