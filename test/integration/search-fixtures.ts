/**
 * Real face embeddings for the search tests and bench: the aligned 112×112 crops of glint_celebs24
 * (../shared/data/faces) run through the real embedder. Read at run time, never copied into the repo.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { ALIGNED_SIZE, embedAligned } from '../../main/engine/vision/embedder';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function facesRoot(): string {
  return process.env.VISAGE_FACES ?? path.resolve(repoRoot, '../shared/data/faces');
}

export interface LabelledEmbeddings {
  /** Identity (folder name) of each face. */
  labels: string[];
  files: string[];
  embeddings: Float32Array[];
}

/** The glint_celebs24 images, sorted by identity then file, at most `perPerson` of each identity. */
export function glintFiles(perPerson = Infinity): { label: string; file: string }[] {
  const root = path.join(facesRoot(), 'glint_celebs24');
  if (!existsSync(root)) throw new Error(`Face set not found: ${root} (set VISAGE_FACES)`);
  const out: { label: string; file: string }[] = [];
  for (const label of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const files = readdirSync(path.join(root, label.name))
      .filter((f) => f.endsWith('.png'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .slice(0, perPerson);
    for (const f of files) out.push({ label: label.name, file: path.join(root, label.name, f) });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label) || a.file.localeCompare(b.file));
}

/** Decodes an aligned crop to interleaved RGB at the embedder's size. */
async function alignedRgb(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .resize(ALIGNED_SIZE, ALIGNED_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: expected RGB, got ${info.channels} channels`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Embeds glint_celebs24 with the real model (about a millisecond or two per face on one core). */
export async function glintEmbeddings(perPerson = Infinity): Promise<LabelledEmbeddings> {
  const items = glintFiles(perPerson);
  const result: LabelledEmbeddings = { labels: [], files: [], embeddings: [] };
  for (const { label, file } of items) {
    result.labels.push(label);
    result.files.push(file);
    result.embeddings.push(await embedAligned(await alignedRgb(file)));
  }
  return result;
}
