/**
 * Embeddings for `visage eval` on a folder-per-person set (ROOT/<person>/<image>), cached per file
 * content (sha256) so repeated evaluations skip the vision models. How an image is read depends on
 * what it is:
 * - 112×112: an ArcFace-aligned crop (e.g. glint_celebs24) → straight into the embedder;
 * - up to 160 px on its longer side: a face crop → the vision pipeline's crop path (detect on a padded
 *   crop, landmarks, align);
 * - anything larger: a photo → the full pipeline, keeping the face nearest the centre (sets like LFW
 *   centre the labelled person; other faces can appear at the borders).
 * Near-duplicates are removed before any split: byte-identical files, and the second image of each
 * pair listed in ROOT/near_duplicates_suspected.csv when the set ships one.
 * Runs in the head worker (model inference is CPU-bound).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { blobToEmbedding, embeddingToBlob } from '../../catalog/embedding-blob';
import { ALIGNED_SIZE, embedAligned } from '../../vision/embedder';
import { analyseCrop, analysePhoto, facesModelId, type PhotoAnalysis } from '../../vision/face-pipeline';
import type { FaceSet } from './eval-protocol';
import { matrix } from '../vector-math';

const IMAGE = /\.(jpe?g|png|webp|bmp|tiff?)$/i;
const CROP_MAX = 160;

export type EmbedMode = 'aligned' | 'crop' | 'photo';

export interface FolderListing {
  name: string;
  root: string;
  people: string[];
  files: { person: number; path: string }[];
  /** Files left out as listed near-duplicates. */
  dropped: number;
}

export function listFolderSet(root: string, minImages = 1): FolderListing {
  const abs = path.resolve(root);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new Error(`Not a folder: ${root}`);
  const dupes = new Set<string>();
  const csv = path.join(abs, 'near_duplicates_suspected.csv');
  if (existsSync(csv)) {
    for (const line of readFileSync(csv, 'utf8').trim().split('\n').slice(1)) {
      const b = line.split(',')[1];
      if (b) dupes.add(path.join(abs, b));
    }
  }
  const people: string[] = [];
  const files: FolderListing['files'] = [];
  let dropped = 0;
  for (const dir of readdirSync(abs).sort()) {
    const full = path.join(abs, dir);
    if (dir.startsWith('.') || !statSync(full).isDirectory()) continue;
    const images = readdirSync(full)
      .filter((f) => IMAGE.test(f))
      .sort()
      .map((f) => path.join(full, f));
    const kept = images.filter((f) => !dupes.has(f));
    dropped += images.length - kept.length;
    if (kept.length < Math.max(1, minImages)) continue;
    people.push(dir);
    for (const f of kept) files.push({ person: people.length - 1, path: f });
  }
  if (people.length < 2) throw new Error(`${root} needs at least two person folders with images.`);
  return { name: path.basename(abs), root: abs, people, files, dropped };
}

class EmbeddingCache {
  private readonly db: Database.Database;
  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS embeddings (
      sha256 TEXT NOT NULL, mode TEXT NOT NULL, model TEXT NOT NULL, embedding BLOB NOT NULL,
      PRIMARY KEY (sha256, mode, model))`);
  }
  get(sha: string, mode: string, model: string): Float32Array | null | undefined {
    const r = this.db
      .prepare('SELECT embedding FROM embeddings WHERE sha256 = ? AND mode = ? AND model = ?')
      .get(sha, mode, model) as { embedding: Buffer } | undefined;
    if (!r) return undefined;
    if (r.embedding.length === 0) return null; // remembered: no face in this file
    return blobToEmbedding(r.embedding);
  }
  put(sha: string, mode: string, model: string, e: Float32Array | null): void {
    const blob = e ? embeddingToBlob(e) : Buffer.alloc(0);
    this.db
      .prepare('INSERT OR REPLACE INTO embeddings (sha256, mode, model, embedding) VALUES (?, ?, ?, ?)')
      .run(sha, mode, model, blob);
  }
  close(): void {
    this.db.close();
  }
}

function centreFace(a: PhotoAnalysis): Float32Array | null {
  const cx = a.width / 2;
  const cy = a.height / 2;
  let best: Float32Array | null = null;
  let bestD = Infinity;
  for (const f of a.faces) {
    const d = Math.hypot(f.box.x + f.box.w / 2 - cx, f.box.y + f.box.h / 2 - cy);
    if (d < bestD) [bestD, best] = [d, f.embedding];
  }
  return best;
}

async function embedFile(file: string, mode: EmbedMode): Promise<Float32Array | null> {
  switch (mode) {
    case 'aligned': {
      const { data } = await sharp(file)
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      return embedAligned(new Uint8Array(data));
    }
    case 'crop':
      return (await analyseCrop(file)).faces[0]?.embedding ?? null;
    case 'photo':
      return centreFace(await analysePhoto(file));
  }
}

async function modeOf(file: string): Promise<EmbedMode> {
  const m = await sharp(file).metadata();
  const w = m.width;
  const h = m.height;
  if (w === ALIGNED_SIZE && h === ALIGNED_SIZE) return 'aligned';
  return Math.max(w, h) <= CROP_MAX ? 'crop' : 'photo';
}

export interface EmbeddedSet {
  set: FaceSet;
  /** Images with no face found, and byte-identical duplicates skipped. */
  missing: number;
  duplicates: number;
  cached: number;
  modes: Record<EmbedMode, number>;
}

export async function embedFolderSet(
  listing: FolderListing,
  cacheFile: string,
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<EmbeddedSet> {
  const cache = new EmbeddingCache(cacheFile);
  const model = facesModelId();
  const seen = new Set<string>();
  const rows: { person: number; e: Float32Array }[] = [];
  const modes: Record<EmbedMode, number> = { aligned: 0, crop: 0, photo: 0 };
  let missing = 0;
  let duplicates = 0;
  let cached = 0;
  try {
    for (const [i, f] of listing.files.entries()) {
      opts.signal?.throwIfAborted();
      const sha = createHash('sha256').update(readFileSync(f.path)).digest('hex');
      if (seen.has(sha)) {
        duplicates++;
        continue;
      }
      seen.add(sha);
      const mode = await modeOf(f.path);
      modes[mode]++;
      let e = cache.get(sha, mode, model);
      if (e === undefined) {
        e = await embedFile(f.path, mode);
        cache.put(sha, mode, model, e);
      } else cached++;
      if (e) rows.push({ person: f.person, e });
      else missing++;
      opts.onProgress?.(i + 1, listing.files.length);
    }
  } finally {
    cache.close();
  }
  const dim = rows[0]?.e.length ?? 512;
  const x = matrix(rows.length, dim);
  rows.forEach((r, i) => {
    x.data.set(r.e, i * dim);
  });
  return {
    set: { name: listing.name, people: listing.people, x, y: Int32Array.from(rows.map((r) => r.person)) },
    missing,
    duplicates,
    cached,
    modes,
  };
}
