/**
 * Real faces for the head tests: glint_celebs24's aligned 112×112 crops (read from ../shared at run
 * time, never copied) embedded by the real model, as a FaceSet. Kept small so tests stay quick on two
 * shared cores; embeddings are computed once per test process.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceSet } from '../../main/engine/head/eval/eval-protocol';
import { matrix } from '../../main/engine/head/vector-math';
import { embedAligned } from '../../main/engine/vision/embedder';
import { face } from '../support/paths';

export interface GlintFace {
  person: string;
  file: string;
  embedding: Float32Array;
}

let cache: Promise<GlintFace[]> | null = null;

/** The first `perPerson` crops (by file order) of the first `people` identities (by name). */
export function glintFaces(people: number, perPerson: number): Promise<GlintFace[]> {
  cache ??= (async () => {
    const root = face('glint_celebs24');
    const out: GlintFace[] = [];
    const names = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .slice(0, 14);
    for (const person of names) {
      const files = readdirSync(path.join(root, person))
        .filter((f) => f.endsWith('.png'))
        .sort()
        .slice(0, 12);
      for (const f of files) {
        const file = path.join(root, person, f);
        const { data } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        out.push({ person, file, embedding: await embedAligned(new Uint8Array(data)) });
      }
    }
    return out;
  })();
  return cache.then((all) => {
    const names = [...new Set(all.map((f) => f.person))].slice(0, people);
    return names.flatMap((n) => all.filter((f) => f.person === n).slice(0, perPerson));
  });
}

export async function glintSet(people: number, perPerson: number): Promise<FaceSet> {
  const faces = await glintFaces(people, perPerson);
  const names = [...new Set(faces.map((f) => f.person))];
  const x = matrix(faces.length, 512);
  faces.forEach((f, i) => {
    x.data.set(f.embedding, i * 512);
  });
  return {
    name: 'glint_celebs24',
    people: names,
    x,
    y: Int32Array.from(faces.map((f) => names.indexOf(f.person))),
  };
}
