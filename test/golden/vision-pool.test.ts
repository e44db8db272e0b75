/**
 * The vision worker pool on real photos: parallel results equal the in-process pipeline, typed errors
 * cross the thread boundary, cancel is prompt, a crashed worker fails its job (no hang) and is replaced.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { VisionPool, VisionWorkerCrash } from '../../main/engine/vision/vision-pool';
import { DecodeError } from '../../main/engine/vision/decode';
import { analysePhoto, type PhotoAnalysis } from '../../main/engine/vision/face-pipeline';
import { face } from '../support/paths';
import { tempDir } from '../support/temp';

const photos = [
  face('face_recognition', 'examples', 'two_people.jpg'),
  face('dlib_faces', '2008_002470.jpg'),
  face('dlib_faces', '2008_004176.jpg'),
  face('dlib_faces', '2009_004587.jpg'),
  face('faceapi_bbt', 'bbt1.jpg'),
  face('face_recognition', 'examples', 'obama.jpg'),
];

const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

test('runs photos in parallel with the same results as in-process', async (t) => {
  const pool = new VisionPool({ size: 2 });
  t.after(() => pool.dispose());
  const results = new Map<string, PhotoAnalysis>();
  const started = performance.now();
  for await (const out of pool.analyseAll(photos, {}, undefined, 3)) {
    assert.ifError(out.error);
    results.set(out.file, out.result!);
  }
  t.diagnostic(
    `pool of 2: ${photos.length} photos in ${(performance.now() - started).toFixed(0)} ms (worker start-up included)`,
  );
  assert.equal(results.size, photos.length);
  for (const file of photos) {
    const local = await analysePhoto(file);
    const remote = results.get(file)!;
    assert.equal(remote.faces.length, local.faces.length, file);
    assert.ok(remote.faces[0]!.embedding instanceof Float32Array);
    const cos = remote.faces[0]!.embedding.reduce((s, v, i) => s + v * local.faces[0]!.embedding[i]!, 0);
    assert.ok(cos > 0.9999, `${file}: cos ${cos}`);
  }
});

test('typed errors cross the thread boundary', async (t) => {
  const pool = new VisionPool({ size: 1 });
  t.after(() => pool.dispose());
  const empty = path.join(tempDir(t), 'empty.jpg');
  writeFileSync(empty, '');
  await assert.rejects(
    pool.analysePhoto(empty),
    (e: unknown) => e instanceof DecodeError && e.reason === 'empty' && e.file === empty,
  );
});

test('cancel: queued and running requests reject promptly, the pool stays usable', async (t) => {
  const pool = new VisionPool({ size: 1 });
  t.after(() => pool.dispose());
  await assert.rejects(pool.analysePhoto(photos[0]!, {}, AbortSignal.abort()), isAbort);
  const ctl = new AbortController();
  const pending = photos.map((p) => pool.analysePhoto(p, {}, ctl.signal));
  await pending[0]; // the first finishes; the second is running or queued, the rest queued
  const abortedAt = performance.now();
  ctl.abort();
  const rest = await Promise.allSettled(pending.slice(1));
  const ms = performance.now() - abortedAt;
  assert.ok(
    rest.every((r) => r.status === 'rejected' && isAbort(r.reason)),
    'all later requests were cancelled',
  );
  assert.ok(ms < 200, `cancel took ${ms} ms`);
  assert.equal((await pool.analysePhoto(photos[0]!)).faces.length, 2, 'the pool still works');
});

test('a crashed worker fails its request with a clear error and is replaced', async (t) => {
  const pool = new VisionPool({ size: 2 });
  t.after(() => pool.dispose());
  const [crash, fine] = await Promise.allSettled([
    pool.run({ kind: 'crash' }),
    pool.analysePhoto(photos[0]!),
  ]);
  assert.equal(crash.status, 'rejected');
  assert.ok(crash.reason instanceof VisionWorkerCrash, String(crash.reason));
  assert.match(crash.reason.message, /crashed .*injected vision worker crash/);
  assert.equal(fine.status === 'fulfilled' && fine.value.faces.length, 2, 'the other worker was unaffected');
  const after = await Promise.all([pool.analysePhoto(photos[0]!), pool.analysePhoto(photos[1]!)]);
  assert.equal(after[0].faces.length, 2, 'a replacement worker serves new requests');
});

test('dispose rejects waiting requests and later ones', async () => {
  const pool = new VisionPool({ size: 1 });
  const settling = Promise.allSettled(photos.map((p) => pool.analysePhoto(p)));
  await pool.dispose();
  const settled = await settling;
  assert.ok(settled.every((s) => s.status === 'rejected'));
  await assert.rejects(pool.analysePhoto(photos[0]!), /disposed/);
});

test('a worker that stops answering is terminated after the request timeout and replaced', async (t) => {
  const pool = new VisionPool({ size: 1, requestTimeoutMs: 1500 });
  t.after(() => pool.dispose());
  await pool.analysePhoto(face('face_recognition', 'examples', 'biden.jpg')); // warm: the limit is then 1.5 s
  const started = Date.now();
  const [hang, fine] = await Promise.allSettled([
    pool.run({ kind: 'hang' }),
    pool.analysePhoto(face('face_recognition', 'examples', 'two_people.jpg')),
  ]);
  assert.equal(hang.status, 'rejected');
  assert.ok(hang.reason instanceof VisionWorkerCrash, String(hang.reason));
  assert.match(hang.reason.message, /no answer after 2 s/);
  assert.ok(Date.now() - started < 60_000);
  assert.equal(fine.status, 'fulfilled', 'the next request runs on a fresh worker');
});

test('decode overlap: a worker that prefetches gives exactly the results of one photo at a time', async (t) => {
  // [Note: decode overlap] One worker holding a second request decodes it during the first's inference;
  // the answers must be bit for bit those of the same worker taking one request at a time.
  const overlapped = new VisionPool({ size: 1, prefetch: 1 });
  const oneByOne = new VisionPool({ size: 1, prefetch: 0 });
  t.after(async () => {
    await Promise.all([overlapped.dispose(), oneByOne.dispose()]);
  });
  assert.equal(overlapped.capacity, 2);
  assert.equal(oneByOne.capacity, 1);
  const run = async (pool: VisionPool) => {
    const out = new Map<string, PhotoAnalysis>();
    for await (const o of pool.analyseAll(photos)) {
      assert.ifError(o.error);
      out.set(o.file, o.result!);
    }
    return out;
  };
  const a = await run(overlapped);
  const b = await run(oneByOne);
  for (const file of photos) {
    const x = a.get(file)!;
    const y = b.get(file)!;
    assert.equal(x.width, y.width, file);
    assert.deepEqual(
      x.faces.map((f) => [f.box, f.landmarks, f.score]),
      y.faces.map((f) => [f.box, f.landmarks, f.score]),
      file,
    );
    x.faces.forEach((f, i) => {
      assert.deepEqual(Array.from(f.embedding), Array.from(y.faces[i]!.embedding));
    });
  }
});

test('a prefetched request survives the crash of the request before it', async (t) => {
  const pool = new VisionPool({ size: 1, prefetch: 1 });
  t.after(() => pool.dispose());
  await pool.analysePhoto(photos[0]!); // warm, so both requests go to this one worker
  const [crash, fine] = await Promise.allSettled([
    pool.run({ kind: 'crash' }),
    pool.analysePhoto(photos[5]!),
  ]);
  assert.equal(crash.status, 'rejected');
  assert.ok(crash.reason instanceof VisionWorkerCrash, String(crash.reason));
  assert.equal(fine.status === 'fulfilled' && fine.value.faces.length, 1, 'rerun on the replacement worker');
});
