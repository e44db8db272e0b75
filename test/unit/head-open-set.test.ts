/**
 * The calibrated open-set rule (engine/head/recognise/open-set.ts, group-decisions.ts) on constructed libraries
 * whose truth is known: humble with strangers, a margin over the second person, rejections and "two
 * faces in one photo are two people" as hard constraints, and group-aware decisions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confidenceLevels } from '../../main/api/people';
import { decideOpenSet, nameAgreement, type LibraryFace } from '../../main/engine/head/recognise/open-set';
import { identityParams } from '../../main/engine/head/model';
import { withCurrentPrototypes } from '../../main/engine/head/recognise/recognise';
import {
  logLikelihoodRatio,
  robustLocationScale,
} from '../../main/engine/head/recognise/score-distributions';
import { matrix, normaliseInPlace } from '../../main/engine/head/vector-math';
import { D, prior, world } from '../support/open-set-world';

function library(seed: number, people: number, perPerson: number, named: number, shots: number) {
  const { unit, around } = world(seed);
  const centres = Array.from({ length: people }, unit);
  const confirmed: { faceId: number; photoId: number; personId: number; embedding: Float32Array }[] = [];
  const faces: LibraryFace[] = [];
  const truth = new Map<number, number | null>();
  let id = 0;
  centres.forEach((c, p) => {
    for (let k = 0; k < perPerson; k++) {
      const e = around(c, 0.8);
      id++;
      if (p < named && k < shots) confirmed.push({ faceId: id, photoId: id, personId: p + 1, embedding: e });
      else {
        faces.push({ id, photoId: id, cluster: null, embedding: e });
        truth.set(id, p < named ? p + 1 : null);
      }
    }
  });
  const params = withCurrentPrototypes(identityParams(D, [], matrix(0, D)), confirmed);
  return { params, confirmed, faces, truth, around, centres };
}

test('score distributions: robust scale ignores a few outliers; the t tail keeps a lucky score humble', () => {
  const values = [...Array.from({ length: 99 }, (_, i) => (i - 49) / 100), 5];
  const { location, scale } = robustLocationScale(values);
  assert.ok(Math.abs(location) < 0.02 && scale > 0.3 && scale < 0.45, `${location} ${scale}`);
  const genuine = { mu: 0.7, sigma: 0.1, nu: 8 };
  const impostor = { mu: 0.05, sigma: 0.1, nu: 8 };
  const heavy = logLikelihoodRatio(0.95, genuine, impostor);
  const gaussianLike = logLikelihoodRatio(0.95, { ...genuine, nu: 1e6 }, { ...impostor, nu: 1e6 });
  assert.ok(heavy < gaussianLike / 2, `t tails ${heavy} vs normal ${gaussianLike}`);
});

test('named people are recognised, strangers are not, and confidence means precision', () => {
  const { params, confirmed, faces, truth } = library(1, 40, 12, 6, 3);
  const { decisions, strangerShare } = decideOpenSet({
    params,
    confirmed,
    faces,
    rejected: new Map(),
    prior,
  });
  assert.ok(strangerShare > 0.6, `stranger share ${strangerShare}`);
  const offered = decisions.filter((d) => d.kind);
  const right = offered.filter((d) => truth.get(d.faceId) === d.personId).length;
  assert.ok(right / offered.length >= 0.95, `precision ${right}/${offered.length}`);
  const strangers = [...truth].filter(([, p]) => p === null).map(([id]) => id);
  const namedStrangers = decisions.filter((d) => d.kind && truth.get(d.faceId) === null).length;
  assert.ok(
    namedStrangers / strangers.length <= 0.02,
    `strangers named ${namedStrangers}/${strangers.length}`,
  );
  const own = [...truth].filter(([, p]) => p !== null).length;
  assert.ok(right / own >= 0.8, `coverage ${right}/${own}`);
  const sure = decisions.filter((d) => d.confidence >= confidenceLevels.sure);
  assert.ok(
    sure.every((d) => truth.get(d.faceId) === d.personId),
    'a sure name was wrong',
  );
});

test('a face between two named people is never sure of either (margin over the second person)', () => {
  const { params, confirmed, faces, centres, around } = library(2, 30, 10, 4, 5);
  const mid = normaliseInPlace(Float32Array.from(centres[0]!, (v, k) => v + centres[1]![k]!));
  const between = { id: 9999, photoId: 9999, cluster: null, embedding: around(mid, 0.95) };
  const clear = { id: 9998, photoId: 9998, cluster: null, embedding: around(centres[0]!, 0.95) };
  const { decisions } = decideOpenSet({
    params,
    confirmed,
    faces: [...faces, between, clear],
    rejected: new Map(),
    prior,
  });
  const b = decisions.find((d) => d.faceId === 9999)!;
  const c = decisions.find((d) => d.faceId === 9998)!;
  assert.ok(b.confidence < confidenceLevels.sure, `between two people: ${b.confidence}`);
  assert.ok(c.confidence >= confidenceLevels.sure && c.personId === 1, `clear face: ${c.confidence}`);
});

test('rejections and same-photo faces are hard constraints, and look-alike negatives make Visage humbler', () => {
  const { params, confirmed, faces, centres, around } = library(3, 30, 10, 4, 5);
  const a = { id: 9001, photoId: 500, cluster: null, embedding: around(centres[0]!, 0.95) };
  const b = { id: 9002, photoId: 500, cluster: null, embedding: around(centres[0]!, 0.9) };
  const c = { id: 9003, photoId: confirmed[0]!.photoId, cluster: null, embedding: around(centres[0]!, 0.95) };
  const r = { id: 9004, photoId: 501, cluster: null, embedding: around(centres[0]!, 0.95) };
  const plain = decideOpenSet({ params, confirmed, faces: [...faces, a, b], rejected: new Map(), prior });
  const named = plain.decisions.filter(
    (d) => (d.faceId === 9001 || d.faceId === 9002) && d.kind && d.personId === 1,
  );
  assert.equal(named.length, 1, 'exactly one of two look-alike faces of one photo is named person 1');
  const withNegatives = decideOpenSet({
    params,
    confirmed,
    faces: [...faces, a, b, c, r],
    rejected: new Map([[9004, new Set([1])]]),
    prior,
  });
  const by = (res: typeof plain, id: number) => res.decisions.find((d) => d.faceId === id)!;
  assert.ok(
    !(by(withNegatives, 9003).kind && by(withNegatives, 9003).personId === 1),
    "a face beside person 1's confirmed face was named 1",
  );
  assert.ok(
    !(by(withNegatives, 9004).kind && by(withNegatives, 9004).personId === 1),
    'a rejected name came back',
  );
  const before = Math.max(by(plain, 9001).confidence, by(plain, 9002).confidence);
  const after = Math.max(by(withNegatives, 9001).confidence, by(withNegatives, 9002).confidence);
  assert.ok(
    after <= before,
    `known look-alikes of person 1 did not make Visage humbler: ${before} → ${after}`,
  );
});

test('a group is decided together: a weak match never pulls a face out of a group of its own people', () => {
  const { params, confirmed, faces, centres, around } = library(4, 30, 10, 4, 5);
  // A stranger's group of 6 with one face drifting towards person 1, and 5 faces of person 2 in a group.
  const strangerCentre = centres[20]!;
  const drift = normaliseInPlace(
    Float32Array.from(strangerCentre, (v, k) => 0.6 * v + 0.8 * centres[0]![k]!),
  );
  const strangerGroup = [
    ...Array.from({ length: 5 }, (_, i) => ({
      id: 8000 + i,
      photoId: 8000 + i,
      cluster: 77,
      embedding: around(strangerCentre, 0.85),
    })),
    { id: 8005, photoId: 8005, cluster: 77, embedding: around(drift, 0.97) },
  ];
  const ownGroup = Array.from({ length: 5 }, (_, i) => ({
    id: 8100 + i,
    photoId: 8100 + i,
    cluster: 78,
    embedding: around(centres[1]!, 0.8),
  }));
  const { decisions } = decideOpenSet({
    params,
    confirmed,
    faces: [...faces, ...strangerGroup, ...ownGroup],
    rejected: new Map(),
    prior,
  });
  const drifted = decisions.find((d) => d.faceId === 8005)!;
  assert.ok(!drifted.kind || drifted.confidence >= confidenceLevels.sure, 'a weak match left its group');
  const group = decisions.filter((d) => d.faceId >= 8100 && d.faceId < 8105);
  assert.ok(
    group.every((d) => d.kind && d.personId === 2 && d.group === 78),
    `the group of person 2 is one suggestion: ${JSON.stringify(group.map((d) => [d.personId, d.kind, d.group]))}`,
  );
});

test("a name's own faces must agree: two people's faces under one name are offered for nothing ([Note: a name's own faces agree])", () => {
  const imp = { mu: 0.05, sigma: 0.1, nu: prior.nu };
  assert.equal(nameAgreement([], imp, prior, 1), 1, 'one face cannot disagree with itself');
  const atImpostor = nameAgreement([0.05], imp, prior, 2);
  const atGenuine = nameAgreement([0.05 + 4.6 * 0.1], imp, prior, 2);
  assert.ok(atImpostor < 0.3, `faces that agree like strangers': ${atImpostor}`);
  assert.ok(atGenuine > 0.99, `faces that agree like a person's: ${atGenuine}`);
  assert.ok(
    nameAgreement([0.05, 0.5, 0.52], imp, prior, 3) > 0.99,
    'one odd face among three decided (the median speaks)',
  );

  const { params: _p, confirmed, faces, centres, around } = library(8, 40, 10, 4, 3);
  // "Stranger": one face of person 30 and one of person 31, named together.
  [around(centres[30]!, 0.8), around(centres[31]!, 0.8)].forEach((embedding, k) =>
    confirmed.push({ faceId: 5000 + k, photoId: 5000 + k, personId: 99, embedding }),
  );
  const params = withCurrentPrototypes(identityParams(D, [], matrix(0, D)), confirmed);
  const res = decideOpenSet({ params, confirmed, faces, rejected: new Map(), prior });
  const agreement = new Map(res.people.map((p) => [p.personId, p.agreement]));
  assert.ok(agreement.get(99)! < 0.3, `mixed name agreement ${agreement.get(99)}`);
  for (const p of [1, 2, 3, 4]) assert.ok(agreement.get(p)! > 0.99, `person ${p}: ${agreement.get(p)}`);
  const mixed = res.decisions.filter((d) => d.personId === 99 && d.kind);
  assert.deepEqual(
    mixed.map((d) => `${d.faceId} ${d.confidence.toFixed(3)}`),
    [],
    'a name of two different people was offered',
  );
  assert.ok(
    res.decisions.filter((d) => d.kind && d.confidence >= confidenceLevels.sure).length > 10,
    'the named people lost their sure suggestions',
  );
});
