/**
 * `visage eval`, `visage train` and `visage heads` through the real CLI entry (main.ts) on a temporary
 * catalog. The eval set is a folder-per-person tree of symlinks to glint_celebs24 crops in ../shared
 * (nothing is copied), embedded by the real model in the head worker.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../main/cli/main';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('head CLI', () => {
  it('eval --json reports every method as fractions and names the guarded choice', async (t) => {
    const dir = tempDir(t, 'visage-head-cli-');
    const root = path.join(dir, 'set');
    const glint = face('glint_celebs24');
    for (const person of readdirSync(glint).sort().slice(0, 8)) {
      mkdirSync(path.join(root, person), { recursive: true });
      for (const f of readdirSync(path.join(glint, person)).sort().slice(0, 8)) {
        symlinkSync(path.join(glint, person, f), path.join(root, person, f));
      }
    }
    const r = await run([
      '--db',
      path.join(dir, 'catalog.db'),
      'eval',
      root,
      '--shots',
      '3',
      '--seed',
      '2',
      '--losses',
      'arcface,triplet',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err.join('\n'));
    const report = JSON.parse(r.out.join('\n')) as {
      methods: {
        name: string;
        top1: number;
        dir_far1: number;
        tar_far1e3: number;
        train_ms: number;
        steps: number | null;
        rank: number | null;
      }[];
      active: string;
    };
    const names = report.methods.map((m) => m.name);
    assert.deepEqual(names, ['centroid', 'knn', 'linear-probe', 'head', 'head-arcface', 'head-triplet']);
    for (const m of report.methods) {
      for (const v of [m.top1, m.dir_far1, m.tar_far1e3]) assert.ok(v >= 0 && v <= 1, `${m.name}: ${v}`);
      assert.ok(m.train_ms >= 0);
      // Steps to converge for heads only; the app's arcface default trains no transform, triplet one.
      if (m.name.startsWith('head'))
        assert.ok(m.steps !== null && m.steps >= 5, `${m.name}: steps ${m.steps}`);
      else assert.equal(m.steps, null);
    }
    assert.equal(report.methods.find((m) => m.name === 'head-arcface')!.rank, 0);
    assert.equal(report.methods.find((m) => m.name === 'head-triplet')!.rank, 32);
    assert.ok(['centroid', 'head'].includes(report.active), report.active);
    const centroid = report.methods[0]!;
    assert.ok(centroid.top1 > 0.8, `centroid top-1 ${centroid.top1}`);
  });

  it('train on an empty catalog says what to do; heads lists nothing', async (t) => {
    const dir = tempDir(t, 'visage-head-cli-');
    const db = path.join(dir, 'catalog.db');
    const r = await run(['--db', db, 'train']);
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /Label faces of at least two people/);
    const h = await run(['--db', db, 'heads']);
    assert.equal(h.code, 0);
    assert.match(h.out.join('\n'), /No heads trained yet/);
    const bad = await run(['--db', db, 'train', '--loss', 'nonsense']);
    assert.equal(bad.code, 2);
  });
});
