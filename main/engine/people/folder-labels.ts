/**
 * Folder-per-person labelling (`visage label --from-folders ROOT`): for users who already sorted photos
 * into ROOT/<person>/…, each indexed photo's main face (the largest; ties go to the one nearest the
 * centre) is confirmed as the folder's person, in one undoable edit. The folder name is the person's name
 * as it is. Photos must be indexed first (the CLI adds ROOT to the library and waits for indexing).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../api/contract';
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { LabelsRepo } from '../catalog/labels-repo';
import type { PeopleService } from './people-service';
import type { UndoService } from './undo-service';

const IMAGE = /\.(jpe?g|png|webp|tiff?|heic|heif|avif|gif|bmp)$/i;

export interface FolderLabelReport {
  people: number;
  labelled: number;
  noFace: string[];
  conflicts: string[];
  notIndexed: number;
}

function imagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...imagesUnder(p));
    else if (e.isFile() && IMAGE.test(e.name)) out.push(p);
  }
  return out;
}

export function labelFromFolders(
  root: string,
  deps: { labels: LabelsRepo; assignments: AssignmentsRepo; people: PeopleService; undo: UndoService },
): FolderLabelReport {
  let dirs;
  try {
    dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
  } catch {
    throw new UserError(`Folder not found or not readable: ${root}`, 'not_found');
  }
  const report: FolderLabelReport = { people: 0, labelled: 0, noFace: [], conflicts: [], notIndexed: 0 };
  const plan: { person: string; faceId: number; path: string }[] = [];
  for (const dir of dirs.sort((a, b) => a.name.localeCompare(b.name))) {
    const name = dir.name.trim();
    if (!name || name.startsWith('.')) continue;
    const folder = path.join(root, dir.name);
    const photos = deps.labels.photosUnder(folder);
    const indexed = new Set(photos.map((p) => p.path));
    report.notIndexed += imagesUnder(folder).filter((f) => !indexed.has(f)).length;
    if (photos.length > 0) report.people++;
    for (const photo of photos) {
      const faces = deps.labels.namedFaces(photo.id);
      if (faces.length === 0) {
        report.noFace.push(photo.path);
        continue;
      }
      const cx = (photo.width ?? 0) / 2;
      const cy = (photo.height ?? 0) / 2;
      const dist = (b: { x: number; y: number; w: number; h: number }): number =>
        Math.hypot(b.x + b.w / 2 - cx, b.y + b.h / 2 - cy);
      const main = faces.reduce((best, f) => {
        const a = f.box.w * f.box.h;
        const ab = best.box.w * best.box.h;
        return a > ab || (a === ab && dist(f.box) < dist(best.box)) ? f : best;
      });
      plan.push({ person: name, faceId: main.id, path: photo.path });
    }
  }
  deps.undo.edit('label-folders', (rec) => {
    for (const item of plan) {
      const current = deps.assignments.get(item.faceId);
      const known = deps.people.find(item.person);
      if (current?.kind === 'confirmed' && known && current.personId === known.id) continue;
      if (current?.kind === 'confirmed') {
        report.conflicts.push(`${item.path}: the face is already confirmed as someone else`);
        continue;
      }
      if (known && deps.assignments.isRejected(item.faceId, known.id)) {
        report.conflicts.push(`${item.path}: the face was rejected from ${known.name}`);
        continue;
      }
      try {
        deps.people.confirmFaces([item.faceId], item.person, rec, 'folder');
        report.labelled++;
      } catch (err) {
        report.conflicts.push(`${item.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { summary: `Labelled ${report.labelled} faces from folders under ${root}` };
  });
  return report;
}
