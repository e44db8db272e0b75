/**
 * `npm run bench -- scale`: Visage at a quarter of a million faces. Generates a library with a realistic
 * identity structure from real embeddings (scale-data.ts), writes it as a real catalog
 * (scale-catalog.ts), opens the engine on it and times what a heavy user does: start-up to the first
 * view, a full re-group (in its worker, with reads and edits served meanwhile), 1 000 new faces through
 * the engine's write path, incremental grouping of them, edits until the views show them, search, the
 * recognition rerun, peak memory. VISAGE_SCALE_FACES sets the size (default 250 000); the IVF-vs-HNSW
 * comparison runs on VISAGE_SCALE_ANN_FACES faces (default 20 000), the HNSW graph only with
 * VISAGE_SCALE_HNSW=1 (it took 171 s at 20 000 faces, most of the section's budget).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEngine, type Engine } from '../../main/engine/engine';
import { FacesRepo } from '../../main/engine/catalog/faces-repo';
import { DEFAULT_ANN_OPTIONS } from '../../main/engine/people/ann-neighbours';
import { clusterBatch } from '../../main/engine/people/cluster-batch';
import type { NeighbourSearch } from '../../main/engine/people/neighbour-search';
import { recognitionCandidates } from '../../main/engine/people/recognition-candidates';
import { defaults } from '../../main/engine/people/settings';
import { inputs } from './people-experiments';
import { scoreClustering } from './people-metrics';
import { loadBenchSet, type BenchFace } from './people-data';
import { compareAnn } from './scale-ann';
import { seedCatalog } from './scale-catalog';
import { rng, syntheticLibrary } from './scale-data';

const TARGETS = {
  fullMs: 5 * 60_000,
  servedP95: 150,
  incrementalMs: 5_000,
  editMs: 1_000,
  recogniseMs: 60_000,
  startMs: 3_000,
  peakMiB: 2048,
};

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const verdict = (value: number, target: number): string => (value <= target ? 'met' : '**missed**');

/**
 * A fixed CPU task (10 M float multiply-adds in a JS loop), timed at the start and the end of the
 * section: the machine is shared, so the figures above are only comparable through this yardstick.
 */
function yardstick(): number {
  const a = new Float32Array(512).map((_, i) => Math.sin(i));
  const t = performance.now();
  let s = 0;
  for (let r = 0; r < 20_000; r++) for (let i = 0; i < 512; i++) s += a[i]! * a[(i + r) & 511]!;
  const elapsed = performance.now() - t;
  return s === Infinity ? -1 : elapsed;
}

function annAgreement(set: string, faces: BenchFace[]): string {
  const st = defaults();
  const opts = { threshold: st.groupingThreshold, relative: st.groupingRelative };
  const truth = faces.map((f) => f.label);
  const f = (search: NeighbourSearch) =>
    scoreClustering(clusterBatch(inputs(faces), { ...opts, search }).groupOf, truth).bcubed.f;
  const exact = f({ exactPairLimit: Infinity });
  const wide = f({ exactPairLimit: 0 });
  const smallLists = { exactPairLimit: 0, ann: { ...DEFAULT_ANN_OPTIONS, listSize: 16 } };
  const narrow = f(smallLists);
  const again = clusterBatch(inputs(faces), { ...opts, search: smallLists }).groupOf;
  const first = clusterBatch(inputs(faces), { ...opts, search: smallLists }).groupOf;
  if (again.some((g, i) => g !== first[i])) throw new Error(`${set}: IVF grouping is not deterministic`);
  const diff = Math.max(Math.abs(wide - exact), Math.abs(narrow - exact));
  return `| ${set} | ${faces.length} | ${exact.toFixed(4)} | ${wide.toFixed(4)} | ${narrow.toFixed(4)} | ${diff.toFixed(4)} |`;
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

/** Reads and edits every 200 ms until `done` settles; their latencies. */
async function serveWhile(
  engine: Engine,
  done: Promise<unknown>,
): Promise<{ reads: number[]; edits: number[] }> {
  const state = { finished: false };
  done
    .catch(() => undefined)
    .finally(() => {
      state.finished = true;
    });
  const reads: number[] = [];
  const edits: number[] = [];
  for (let n = 0; !state.finished; n++) {
    await new Promise((r) => setTimeout(r, 200));
    const [, read] = await timed(() => engine.api['people.list']({ includeHidden: false }));
    reads.push(read);
    const [, edit] = await timed(() =>
      engine.api['people.rename']({ person: 1, name: n % 2 ? 'Person 1' : 'Person One' }),
    );
    edits.push(edit);
  }
  return { reads, edits };
}

export async function runScaleBench(
  log: (l: string) => void = (l) => {
    console.error(l);
  },
): Promise<string> {
  const total = Number(process.env.VISAGE_SCALE_FACES ?? 250_000);
  const yardStart = yardstick();
  const real: BenchFace[] = [];
  const agreement: string[] = [];
  for (const set of ['lfw_dev', 'bollywood_33', 'glint_celebs24'] as const) {
    const faces = await loadBenchSet(set, log);
    real.push(...faces);
    agreement.push(annAgreement(set, faces));
  }
  const lib = syntheticLibrary(real, total);
  const lines: string[] = [];
  const home = mkdtempSync(path.join(os.tmpdir(), 'visage-scale-'));
  try {
    const [seeded, seedMs] = await timed(() => seedCatalog(home, lib, { people: 150, confirmedEach: 10 }));
    log(`scale: catalog of ${lib.faces.length} faces written in ${ms(seedMs)}`);

    // The engine's share of memory: what the process holds above its size when the engine opened (the
    // generator's library stays referenced to the end, so it is in both). Sampled between requests, and
    // from the process's high-water mark when the engine raised it.
    const mib = (bytes: number) => bytes / 1024 / 1024;
    const rssAtOpen = process.memoryUsage().rss;
    const maxBefore = process.resourceUsage().maxRSS * 1024;
    let rssPeak = rssAtOpen;
    // Per step too: which step holds the memory (the log lines below print it).
    let stepPeak = rssAtOpen;
    const sampler = setInterval(() => {
      const rss = process.memoryUsage().rss;
      rssPeak = Math.max(rssPeak, rss);
      stepPeak = Math.max(stepPeak, rss);
    }, 100);
    const stepMem = () => {
      const out = ` [engine share during it: ${Math.round(mib(stepPeak - rssAtOpen))} MiB]`;
      stepPeak = process.memoryUsage().rss;
      return out;
    };
    // Start-up: open the engine, then the first view (people and the groups list).
    const [engine, openMs] = await timed(() => openEngine({ dbPath: seeded.dbPath }));
    const [, firstViewMs] = await timed(async () => {
      await engine.api['people.list']({ includeHidden: false });
      await engine.api['people.groups']({ minSize: 2 });
    });

    log(`scale: engine open in ${ms(openMs)}, first view ${ms(firstViewMs)}${stepMem()}`);
    // Full re-group in the worker; reads and edits meanwhile.
    const full = timed(() => engine.api['people.cluster']({ full: true }));
    const served = await serveWhile(engine, full);
    const [fullSummary, fullMs] = await full;
    log(`scale: full re-group ${ms(fullMs)}, ${fullSummary.groups} groups${stepMem()}`);

    // 1 000 new faces through the engine's write path (FacesRepo.replaceDetected), then search catches up.
    const rand = rng(99);
    const faces = new FacesRepo(engine.context.db);
    const addFaces = async (batch: string) => {
      const newFaces = Array.from({ length: 1000 }, () => lib.faces[Math.floor(rand() * lib.faces.length)]!);
      const photo = engine.context.db.prepare(
        "INSERT INTO photos (folder_id, path, size, mtime_ms, status, created_at) VALUES (1, ?, 1, 0, 'done', 0)",
      );
      for (let i = 0; i < newFaces.length; i += 4) {
        const id = Number(photo.run(path.join(seeded.folder, `new-${batch}-${i}.jpg`)).lastInsertRowid);
        faces.replaceDetected(
          id,
          newFaces.slice(i, i + 4).map((f) => ({
            box: { x: 10, y: 10, w: 80, h: 80 },
            landmarks: [],
            score: 0.99,
            quality: { overall: 0.8, size: 80, blur: 400, pose: 0.1 },
            embedding: f.embedding,
          })),
          'bench',
        );
      }
      await engine.api['search.status']({});
    };
    const [, indexMs] = await timed(() => addFaces('a'));
    log(`scale: 1 000 faces indexed in ${ms(indexMs)}${stepMem()}`);
    // The API's incremental run returns when recognition has followed it; the run's own time is the grouping.
    // The first run after the full re-group finds the index of group means the re-group's worker laid
    // out ([Note: the index of means from the full re-group]); a second batch shows a run after another
    // run's changes.
    const [incSummary, incTotalMs] = await timed(() => engine.api['people.cluster']({ full: false }));
    const incMs = incSummary.ms;
    log(
      `scale: incremental grouping ${ms(incMs)} (${ms(incTotalMs)} with the recognition after it)${stepMem()}`,
    );
    await addFaces('b');
    const [incSummary2, incTotalMs2] = await timed(() => engine.api['people.cluster']({ full: false }));
    const incMs2 = incSummary2.ms;
    log(
      `scale: incremental grouping, next 1 000 ${ms(incMs2)} (${ms(incTotalMs2)} with the recognition after it)${stepMem()}`,
    );

    // Edits until the views show them (the edit, then the reads that wait for its re-group).
    const groups = await engine.api['people.groups']({ minSize: 2 });
    const edit = async (f: () => Promise<unknown>) =>
      (
        await timed(async () => {
          await f();
          await engine.api['people.groups']({ minSize: 2 });
          await engine.api['people.list']({ includeHidden: false });
        })
      )[1];
    const nameMs = await edit(() =>
      engine.api['people.name']({ group: groups[0]!.id, person: 'New person' }),
    );
    const mergeMs = await edit(() => engine.api['people.merge']({ from: 'New person', into: 'Person 2' }));
    const splitMs = await edit(() => engine.api['people.split']({ faceIds: groups[1]!.faceIds.slice(0, 2) }));

    log(`scale: edits → views ${ms(nameMs)}, ${ms(mergeMs)}, ${ms(splitMs)}${stepMem()}`);
    // Names follow the edits: the recognition runs they started, then one rerun over every unconfirmed face.
    const [, followMs] = await timed(() => engine.api['people.suggestions']({}));
    const [rerun, rerunMs] = await timed(() => engine.api['head.recognise']({}));
    log(`scale: recognition rerun ${ms(rerunMs)} over ${rerun.faces} faces${stepMem()}`);
    // Search by a library face: p50 / p95 over 100 queries.
    const searches: number[] = [];
    for (let i = 0; i < 100; i++) {
      const faceId = seeded.faceIds[Math.floor(rand() * seeded.faceIds.length)]!;
      searches.push((await timed(() => engine.api['search.byFace']({ faceId, top: 50 })))[1]);
    }

    // Recognition candidates: every unconfirmed face against the named people's prototypes.
    const protos = [...seeded.people.keys()].map((identity) => {
      const m = new Float32Array(512);
      for (const f of lib.faces)
        if (f.identity === identity) for (let k = 0; k < 512; k++) m[k]! += f.embedding[k]!;
      return m;
    });
    const [, recogniseMs] = await timed(() =>
      recognitionCandidates(
        lib.faces.map((f) => f.embedding),
        protos,
        5,
      ),
    );
    await engine.close();

    clearInterval(sampler);
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    const maxAfter = peakMiB * 1024 * 1024;
    const engineMiB = mib(Math.max(rssPeak, maxAfter > maxBefore ? maxAfter : 0) - rssAtOpen);
    const startMs = openMs + firstViewMs;
    const editMax = Math.max(nameMs, mergeMs, splitMs);
    const servedP95 = Math.max(pct(served.reads, 95), pct(served.edits, 95));
    lines.push(
      `Library: ${lib.faces.length.toLocaleString('en')} faces in ${lib.photos.toLocaleString('en')} photos, ` +
        `${lib.identities.toLocaleString('en')} identities (largest ${lib.sizes.slice(0, 3).join(', ')} faces; ` +
        `${lib.tail.toLocaleString('en')} with one or two faces), 150 named people with 10 confirmed faces each; ` +
        `written as a catalog in ${ms(seedMs)}.`,
      '',
      '| step | measured | target | |',
      '| --- | --- | --- | --- |',
      `| start-up: open the catalog + first view (people, groups) | ${ms(startMs)} (${ms(openMs)} + ${ms(firstViewMs)}) | ≤ 3 s | ${verdict(startMs, TARGETS.startMs)} |`,
      `| full re-group (worker thread) | ${ms(fullMs)}: ${fullSummary.groups.toLocaleString('en')} groups, ${fullSummary.suggested} suggestions | ≤ 5 min | ${verdict(fullMs, TARGETS.fullMs)} |`,
      `| reads while it ran (people.list), p50 / p95 / n | ${ms(pct(served.reads, 50))} / ${ms(pct(served.reads, 95))} / ${served.reads.length} | p95 ≤ 150 ms | ${verdict(pct(served.reads, 95), TARGETS.servedP95)} |`,
      `| edits while it ran (rename), p50 / p95 | ${ms(pct(served.edits, 50))} / ${ms(pct(served.edits, 95))} | p95 ≤ 150 ms | ${verdict(pct(served.edits, 95), TARGETS.servedP95)} |`,
      `| index 1 000 new faces (write path + search index caught up) | ${ms(indexMs)} | – | |`,
      `| incremental grouping of the 1 000 faces (first run after the full re-group) | ${ms(incMs)} (${ms(incTotalMs)} until recognition followed); ${incSummary.groups.toLocaleString('en')} groups after it | ≤ 5 s | ${verdict(incMs, TARGETS.incrementalMs)} |`,
      `| incremental grouping of 1 000 more faces | ${ms(incMs2)} (${ms(incTotalMs2)} until recognition followed); ${incSummary2.groups.toLocaleString('en')} groups after it | ≤ 5 s | ${verdict(incMs2, TARGETS.incrementalMs)} |`,
      `| name a group → views updated | ${ms(nameMs)} | ≤ 1 s | ${verdict(nameMs, TARGETS.editMs)} |`,
      `| merge two people → views updated | ${ms(mergeMs)} | ≤ 1 s | ${verdict(mergeMs, TARGETS.editMs)} |`,
      `| split two faces off a group → views updated | ${ms(splitMs)} | ≤ 1 s | ${verdict(splitMs, TARGETS.editMs)} |`,
      `| the edits' recognition runs, until the review queue is current | ${ms(followMs)} | – | |`,
      `| recognition rerun over all ${rerun.faces.toLocaleString('en')} unconfirmed faces (head.recognise, ${rerun.model}) | ${ms(rerunMs)} | ≤ 60 s | ${verdict(rerunMs, TARGETS.recogniseMs)} |`,
      `| search by a face, p50 / p95 (100 queries) | ${ms(pct(searches, 50))} / ${ms(pct(searches, 95))} | – | |`,
      `| recognition candidates for every face (5 nearest of 150 people; not yet used by the rerun) | ${ms(recogniseMs)} | – | |`,
      `| peak memory of the engine: the process's peak above its size when the engine opened (workers included) | ${Math.round(engineMiB)} MiB (at open ${Math.round(mib(rssAtOpen))} MiB) | ≤ 2 GB | ${verdict(engineMiB, TARGETS.peakMiB)} |`,
      `| peak memory of the whole bench process (generator, catalog writer, engine, workers) | ${Math.round(peakMiB)} MiB | – | |`,
      '',
      `Edits and reads while the re-group ran: worst p95 ${ms(servedP95)}; slowest edit → views ${ms(editMax)}.`,
      '',
      `Yardstick (10 M multiply-adds in a JS loop, one thread): ${ms(yardStart)} at the start, ${ms(yardstick())} ` +
        'after the timings above; compare it with the same line of another run before comparing times (the ' +
        'machine is shared: a larger yardstick means every time above stretched by about the same factor).',
      '',
    );

    // The measurement behind the neighbour search (IVF vs HNSW), on a slice of the same library.
    const sliceN = Math.min(lib.faces.length, Number(process.env.VISAGE_SCALE_ANN_FACES ?? 20_000));
    log(`scale: IVF vs HNSW on ${sliceN} faces`);
    const runs = compareAnn(
      lib.faces.slice(0, sliceN).map((f) => f.embedding),
      0.3,
      64,
      log,
      process.env.VISAGE_SCALE_HNSW === '1',
    );
    lines.push(
      '### Grouping from IVF neighbours vs the exact pair search, on the shared sets',
      '',
      'BCubed F of the full run with the exact neighbour search and with the IVF lists (the app default of 256 ' +
        'faces per list, which at these sizes searches most of the set, and lists of 16 faces, which searches a ' +
        'few percent, as a face does in a library of 250 000). Same input twice gives the same groups: checked.',
      '',
      '| set | faces | exact F | IVF (256/list) F | IVF (16/list) F | largest difference |',
      '| --- | --- | --- | --- | --- | --- |',
      ...agreement,
      '',
      `### Neighbour search for grouping: IVF lists vs HNSW (${sliceN.toLocaleString('en')} faces, threshold 0.3, 64 neighbours)`,
      '',
      'Recall: share of the exact neighbours above the threshold (float scan, 400 sampled faces) that the method found.',
      '',
      '| method | ms | recall |',
      '| --- | --- | --- |',
      ...runs.map((r) => `| ${r.method} | ${ms(r.ms)} | ${r.recall.toFixed(4)} |`),
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return lines.join('\n');
}
