/**
 * Scoring with background prototypes: a face is penalised for a person only by a background cluster
 * that is closer to it than the person's prototype and that is not attached to that person (one of
 * their own sub-groups). The fast path (top-T clusters per face) equals the brute-force definition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classCosines,
  classRepresentatives,
  scoreTransformed,
  type HeadParams,
} from '../../main/engine/head/model';
import { gram, matrix, normaliseInPlace, rng, row, type Matrix } from '../../main/engine/head/vector-math';

const d = 16;
const unit = (v: number[]) => normaliseInPlace(Float32Array.from({ length: d }, (_, i) => v[i] ?? 0));
const rows = (vs: Float32Array[]): Matrix => {
  const m = matrix(vs.length, d);
  vs.forEach((v, i) => {
    m.data.set(v, i * d);
  });
  return m;
};

function head(prototypes: Matrix, background: Matrix, attachThreshold: number): HeadParams {
  return {
    dim: d,
    rank: 0,
    mean: new Float32Array(d),
    a: new Float32Array(0),
    b: new Float32Array(0),
    classes: Array.from({ length: prototypes.rows }, (_, i) => i + 1),
    subCentres: 1,
    prototypes,
    background,
    backgroundWeight: 1,
    attachThreshold,
  };
}

describe('background scoring', () => {
  const ann = unit([1]);
  const bob = unit([0, 1]);
  const annAsChild = unit([0.8, 0, 0.6]); // a sub-group of Ann: close to her prototype
  const stranger = unit([0.5, 0, 0, 0.87]); // someone else who looks a bit like Ann
  const p = head(rows([ann, bob]), rows([annAsChild, stranger]), 0.7);

  it('a stranger cluster nearer than the prototype lowers the score by the difference', () => {
    const face = rows([unit([0.55, 0, 0, 0.83])]);
    const s = scoreTransformed(p, face);
    const cosAnn = gram(face, rows([ann])).data[0]!;
    const cosStranger = gram(face, rows([stranger])).data[0]!;
    assert.ok(cosStranger > cosAnn);
    assert.ok(Math.abs(s.data[0]! - (cosAnn - (cosStranger - cosAnn))) < 1e-6);
  });

  it("Ann's own sub-group never penalises Ann, but does penalise Bob", () => {
    const face = rows([unit([0.75, 0.1, 0.65])]); // Ann as a child
    const s = scoreTransformed(p, face);
    const cos = classCosines(p, face);
    assert.equal(s.data[0], cos.data[0]); // Ann: untouched
    assert.ok(s.data[1]! < cos.data[1]!); // Bob: penalised by the Ann-as-child cluster
  });

  it('the fast path equals the brute-force definition on random data', () => {
    const random = rng(4);
    const rand = (n: number) =>
      rows(Array.from({ length: n }, () => unit(Array.from({ length: d }, () => random() - 0.5))));
    const protos = rand(6);
    const bg = rand(30);
    // Attach a few clusters to classes by pulling them towards a prototype.
    for (let j = 0; j < 8; j++) {
      const v = row(bg, j);
      const c = row(protos, j % 3);
      for (let t = 0; t < d; t++) v[t] = 3 * c[t]! + v[t]!;
      normaliseInPlace(v);
    }
    const hp = head(protos, bg, 0.6);
    const faces = rand(200);
    const fast = scoreTransformed(hp, faces);
    const cos = classCosines(hp, faces);
    const sims = gram(faces, bg);
    const reps = gram(bg, classRepresentatives(hp));
    for (let i = 0; i < faces.rows; i++) {
      for (let c = 0; c < protos.rows; c++) {
        let b = -Infinity;
        for (let j = 0; j < bg.rows; j++)
          if (reps.data[j * protos.rows + c]! < 0.6) b = Math.max(b, sims.data[i * bg.rows + j]!);
        const s = cos.data[i * protos.rows + c]!;
        assert.ok(Math.abs(fast.data[i * protos.rows + c]! - (s - Math.max(0, b - s))) < 1e-6);
      }
    }
  });
});
