/**
 * Head versions: the weights blob round-trips exactly; the heads table (real SQLite, temporary file)
 * keeps one active head at most, and rollback returns to the head active before, then to the baseline.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../main/engine/catalog/database';
import { HeadsRepo } from '../../main/engine/catalog/heads-repo';
import { decodeHead, encodeHead } from '../../main/engine/head/head-codec';
import type { HeadParams } from '../../main/engine/head/model';
import { matrix, rng } from '../../main/engine/head/vector-math';
import { tempDir } from '../support/temp';

function params(): HeadParams {
  const random = rng(9);
  const f = (n: number) => Float32Array.from({ length: n }, () => random() - 0.5);
  return {
    dim: 8,
    rank: 2,
    mean: f(8),
    a: f(16),
    b: f(16),
    classes: [4, 9, 11],
    subCentres: 2,
    prototypes: matrix(6, 8, f(48)),
    background: matrix(5, 8, f(40)),
    backgroundWeight: 1,
    attachThreshold: 0.42,
  };
}

describe('head weights blob', () => {
  it('round-trips every array and setting exactly', () => {
    const p = params();
    const back = decodeHead(encodeHead(p));
    assert.deepEqual(back, p);
  });
  it('refuses a truncated blob', () => {
    const blob = encodeHead(params());
    assert.throws(() => decodeHead(blob.subarray(0, blob.length - 8)), /wrong length/);
  });
});

describe('heads table', () => {
  const row = (verdict: string) => ({
    loss: 'arcface',
    backend: 'wasm',
    settings: { rank: 0 },
    data: { people: 3 },
    metrics: { accepted: true },
    baseline: {},
    verdict,
    weights: encodeHead(params()),
    threshold: 0.5,
  });

  it('activates one head at a time and rolls back in order, down to the baseline', (t) => {
    const db = openDatabase(path.join(tempDir(t), 'catalog.db'));
    t.after(() => db.close());
    const heads = new HeadsRepo(db);
    const a = heads.insert(row('first'), 1000);
    const b = heads.insert(row('second'), 2000);
    const c = heads.insert(row('third'), 3000);
    heads.activate(a, 1100);
    heads.activate(b, 2100);
    heads.activate(c, 3100);
    assert.deepEqual(
      heads.list().map((h) => [h.id, h.active]),
      [
        [c, true],
        [b, false],
        [a, false],
      ],
    );
    assert.equal(heads.rollback(4000), b);
    assert.equal(heads.active()!.id, b);
    assert.equal(heads.rollback(4100), a);
    assert.equal(heads.rollback(4200), null);
    assert.equal(heads.active(), null);
    // A head activated again is no longer "rolled back".
    heads.activate(c, 5000);
    assert.equal(heads.active()!.id, c);
    assert.equal(heads.rollback(5100), null);
    assert.deepEqual(decodeHead(heads.get(c)!.weights), params());
  });

  it('activating a head that does not exist changes nothing', (t) => {
    const db = openDatabase(path.join(tempDir(t), 'catalog.db'));
    t.after(() => db.close());
    const heads = new HeadsRepo(db);
    const a = heads.insert(row('only'));
    heads.activate(a);
    assert.throws(() => {
      heads.activate(a + 100);
    }, /No head/);
    assert.equal(heads.active()!.id, a);
  });
});
