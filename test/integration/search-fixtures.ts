/**
 * Real face embeddings for the search tests and bench: the aligned 112×112 crops of glint_celebs24
 * (../shared/data/faces) run through the real embedder. Read at run time, never copied into the repo.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { AssignmentsRepo } from '../../main/engine/catalog/assignments-repo';
import type { Db } from '../../main/engine/catalog/database';
import { ALIGNED_SIZE, embedAligned } from '../../main/engine/vision/embedder';
import { face } from '../support/paths';

export interface LabelledEmbeddings {
  /** Identity (folder name) of each face. */
  labels: string[];
  files: string[];
  embeddings: Float32Array[];
}

/** The glint_celebs24 images, sorted by identity then file, at most `perPerson` of each identity. */
export function glintFiles(perPerson = Infinity): { label: string; file: string }[] {
  const root = face('glint_celebs24');
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

/** One photo to put in a test catalog: its faces' embeddings, and optionally a date and a folder. */
export interface SeedPhoto {
  path: string;
  takenAt?: number | null;
  faces: Float32Array[];
}

/**
 * Writes folders, photos and faces straight into a catalog (as the indexer would store them), so search
 * can be tested on thousands of real embeddings without decoding thousands of photos. Returns face ids
 * in order, per photo.
 */
export function seedCatalog(db: Db, photos: SeedPhoto[], now = Date.now()): number[][] {
  const folderIds = new Map<string, number>();
  const folderOf = (file: string) => {
    const dir = path.dirname(file);
    let id = folderIds.get(dir);
    if (id === undefined) {
      db.prepare('INSERT OR IGNORE INTO folders (path, added_at) VALUES (?, ?)').run(dir, now);
      id = (db.prepare('SELECT id FROM folders WHERE path = ?').get(dir) as { id: number }).id;
      folderIds.set(dir, id);
    }
    return id;
  };
  const insertPhoto = db.prepare(
    `INSERT INTO photos (folder_id, path, size, mtime_ms, width, height, taken_at, status, created_at)
     VALUES (?, ?, 1, 0, 112, 112, ?, 'done', ?)`,
  );
  const insertFace = db.prepare(
    `INSERT INTO faces (photo_id, x, y, w, h, landmarks, score, quality, quality_size, quality_blur, quality_pose,
       embedding, model_id, created_at)
     VALUES (?, ?, 0, 100, 100, '[]', 1, 1, 100, 100, 0, ?, 'test', ?)`,
  );
  return db.transaction(() =>
    photos.map((p) => {
      const photoId = Number(
        insertPhoto.run(folderOf(p.path), p.path, p.takenAt ?? null, now).lastInsertRowid,
      );
      return p.faces.map((e, i) =>
        Number(
          insertFace.run(photoId, i * 120, Buffer.from(e.buffer, e.byteOffset, e.byteLength), now)
            .lastInsertRowid,
        ),
      );
    }),
  )();
}

/** Gives faces to a named person (created if needed) as the user would: confirmed assignments. */
export function confirmFaces(db: Db, name: string, faceIds: number[], now = Date.now()): number {
  db.prepare('INSERT OR IGNORE INTO people (name, created_at) VALUES (?, ?)').run(name, now);
  const personId = (db.prepare('SELECT id FROM people WHERE name = ?').get(name) as { id: number }).id;
  const assignments = new AssignmentsRepo(db);
  for (const id of faceIds) assignments.confirm(id, personId, 'user', now);
  return personId;
}
