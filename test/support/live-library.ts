/**
 * The live-library protocol of the trust issue: a library like a real one, built from a shared face set
 * and driven through the same API the UI uses. A few people are named from `shots` faces each; most
 * people are never named (strangers); a share of faces sit together in group photos (two faces in one
 * photo are two people). Then: group everything, name, regroup, recognise (optionally train first), and
 * read back what the user would see — auto-names, suggestions with their tier — against the truth.
 * Used by the live test (asserts the targets) and the trust bench (writes the table).
 */
import path from 'node:path';
import { confidenceLevels } from '../../main/api/people';
import { openEngine, type Engine } from '../../main/engine/engine';
import {
  operatingPoint,
  type Offered,
  type OperatingPoint,
} from '../../main/engine/head/eval/operating-point';
import { rng, shuffled } from '../../main/engine/head/vector-math';
import { seedCatalog } from '../integration/search-fixtures';
import type { BenchFace } from '../bench/people-data';

export interface LiveOptions {
  shots: number;
  seed: number;
  /** How many people are named (at most; those with at least shots + 2 faces). */
  named: number;
  /** Share of faces placed in group photos of 2–4 people. */
  groupShare: number;
  /** Cap on faces per stranger (a large library of many people, not a few huge ones). */
  maxPerPerson: number;
  train: boolean;
}

export interface LiveResult {
  op: OperatingPoint;
  /** BCubed precision of unnamed groups before recognition and after it (and the regroup it causes). */
  purityBefore: number;
  purityAfter: number;
  faces: number;
  people: number;
  namedPeople: number;
  model: string;
  ms: number;
}

function bcubedPrecision(faces: { cluster: number | null; truth: string }[]): number {
  const byCluster = new Map<number, string[]>();
  for (const f of faces)
    if (f.cluster !== null) byCluster.set(f.cluster, [...(byCluster.get(f.cluster) ?? []), f.truth]);
  let sum = 0;
  let n = 0;
  for (const members of byCluster.values()) {
    const counts = new Map<string, number>();
    for (const t of members) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of members) {
      sum += counts.get(t)! / members.length;
      n++;
    }
  }
  return n ? sum / n : 1;
}

async function allFaces(engine: Engine) {
  const out: Awaited<ReturnType<Engine['api']['library.faces']>>['items'] = [];
  for (let offset = 0; ; offset += 10000) {
    const page = await engine.api['library.faces']({ offset, limit: 10000, embeddings: false });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) return out;
  }
}

export async function runLiveLibrary(
  set: readonly BenchFace[],
  dir: string,
  opts: LiveOptions,
): Promise<LiveResult> {
  const t0 = performance.now();
  const random = rng(opts.seed);
  const byLabel = new Map<string, BenchFace[]>();
  for (const f of set) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
  const labels = shuffled([...byLabel.keys()].sort(), random);
  const eligible = labels.filter((l) => byLabel.get(l)!.length >= opts.shots + 2);
  const named = new Set(eligible.slice(0, opts.named));
  // Faces: named people keep all theirs; strangers are capped so no one stranger dominates.
  const faces: { label: string; embedding: Float32Array }[] = [];
  for (const l of labels) {
    const list = shuffled(byLabel.get(l)!, random);
    for (const f of named.has(l) ? list : list.slice(0, opts.maxPerPerson))
      faces.push({ label: l, embedding: f.embedding });
  }
  // Photos: most faces alone, a share in group photos of 2–4 different people.
  const order = shuffled(
    faces.map((_, i) => i),
    random,
  );
  const photos: number[][] = [];
  const grouped = Math.round(order.length * opts.groupShare);
  let i = 0;
  while (i < grouped) {
    const size = 2 + Math.floor(random() * 3);
    const photo: number[] = [];
    const seen = new Set<string>();
    while (photo.length < size && i < grouped) {
      const f = order[i++]!;
      if (seen.has(faces[f]!.label)) {
        photos.push([f]);
        continue;
      }
      seen.add(faces[f]!.label);
      photo.push(f);
    }
    photos.push(photo);
  }
  for (; i < order.length; i++) photos.push([order[i]!]);

  const engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
  try {
    const ids = seedCatalog(
      engine.context.db,
      photos.map((p, k) => ({ path: `/library/photo-${k}.jpg`, faces: p.map((f) => faces[f]!.embedding) })),
    );
    const truthOf = new Map<number, string>();
    photos.forEach((p, k) => {
      p.forEach((f, j) => truthOf.set(ids[k]![j]!, faces[f]!.label));
    });
    await engine.api['people.cluster']({ full: true });
    // Name `shots` faces of each named person, as the user would from the photo viewer.
    const personOf = new Map<string, number>();
    const labelled = new Set<number>();
    for (const l of [...named].sort()) {
      const own = [...truthOf].filter(([, t]) => t === l).map(([id]) => id);
      const pick = shuffled(own, random).slice(0, opts.shots);
      const res = await engine.api['people.name']({ faceIds: pick, person: l });
      personOf.set(l, res.person.id);
      for (const id of pick) labelled.add(id);
    }
    await engine.api['people.cluster']({ full: false });
    const before = await allFaces(engine);
    const purityBefore = bcubedPrecision(
      before
        .filter((f) => f.assignment === null)
        .map((f) => ({ cluster: f.cluster, truth: truthOf.get(f.id)! })),
    );
    if (opts.train) await engine.api['head.train']({ apply: false });
    const summary = await engine.api['head.recognise']({});
    await engine.api['people.cluster']({ full: false });
    const after = await allFaces(engine);
    const purityAfter = bcubedPrecision(
      after
        .filter((f) => f.assignment === null)
        .map((f) => ({ cluster: f.cluster, truth: truthOf.get(f.id)! })),
    );
    const suggestions = await engine.api['people.suggestions']({});
    const sure = new Set(suggestions.filter((s) => s.tier === 'sure').flatMap((s) => s.faceIds));
    const offered: Offered[] = after
      .filter((f) => f.assignment === 'auto' || f.assignment === 'suggested')
      .map((f) => ({
        faceId: f.id,
        personId: f.person!.id,
        kind: f.assignment === 'auto' ? 'auto' : 'suggested',
        // The tier the Review queue shows decides "sure", whatever the stored number.
        confidence: sure.has(f.id)
          ? Math.max(confidenceLevels.sure, f.confidence ?? 0)
          : Math.min(f.confidence ?? 0, confidenceLevels.sure - 1e-9),
      }));
    const truth = new Map<number, number | null>();
    for (const [id, l] of truthOf) if (!labelled.has(id)) truth.set(id, personOf.get(l) ?? null);
    return {
      op: operatingPoint(offered, truth),
      purityBefore,
      purityAfter,
      faces: faces.length,
      people: labels.length,
      namedPeople: named.size,
      model: summary.model,
      ms: performance.now() - t0,
    };
  } finally {
    await engine.close();
  }
}
