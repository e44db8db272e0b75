/**
 * XMP face regions in and out of the catalog.
 * - Reading (on scan, and on request): named face regions become confirmed labels (source 'xmp') on the
 *   faces they match by overlap; a named region no detected face matches is added as a face of its own,
 *   embedded from the region's box. A face the user already confirmed as someone else, or rejected from
 *   that name, keeps the user's decision ([Note: user work is sacred]).
 * - Writing (on request): a sidecar per photo with the confirmed names; regions already in the sidecar that
 *   match none of the photo's faces (someone else's, pets, focus areas) are kept.
 */
import type { AssignmentsRepo } from '../../catalog/assignments-repo';
import type { FacesRepo } from '../../catalog/faces-repo';
import type { LabelsRepo, PhotoRef } from '../../catalog/labels-repo';
import { matchBoxes } from '../box-match';
import type { EmbedFromBox } from '../face-corrections';
import type { PeopleService } from '../people-service';
import type { UndoRecorder, UndoService } from '../undo-service';
import type { MwgRegion } from './mwg-regions';
import { orientedToStored, swapsAxes, type NormBox } from './orientation';
import { readOrientation, readSidecarInfo, readXmpRegions, withRegions, writeSidecar } from './xmp-files';

export interface XmpServiceDeps {
  labels: LabelsRepo;
  assignments: AssignmentsRepo;
  faces: FacesRepo;
  people: PeopleService;
  undo: UndoService;
  embedFromBox: EmbedFromBox;
  /** Runs a function in one catalog transaction (reads on scan are not undo entries). */
  transaction: <T>(fn: () => T) => T;
}

export interface XmpReadReport {
  photos: number;
  regions: number;
  confirmed: number;
  unmatched: number;
  conflicts: number;
}

interface Plan {
  photo: PhotoRef;
  /** Each named region: the face it matched (null: a face to add from the box), the name, the pixel box. */
  labels: { faceId: number | null; name: string; box: NormBox }[];
}

interface Added {
  plan: Plan;
  label: Plan['labels'][number];
  face: Awaited<ReturnType<EmbedFromBox>>;
}

const isFace = (type: string | null): boolean => type === null || type.toLowerCase() === 'face';

export class XmpService {
  constructor(private readonly deps: XmpServiceDeps) {}

  private async plan(photo: PhotoRef, report: XmpReadReport): Promise<Plan | null> {
    if (photo.width === null || photo.height === null) return null;
    const found = await readXmpRegions(photo.path);
    if (!found) return null;
    const named = found.regions.filter((r) => isFace(r.type) && r.name !== null && r.name.trim() !== '');
    report.regions += named.length;
    const W = photo.width;
    const H = photo.height;
    const boxes = named.map((r) => ({ x: r.box.x * W, y: r.box.y * H, w: r.box.w * W, h: r.box.h * H }));
    const faces = this.deps.labels.namedFaces(photo.id);
    const match = matchBoxes(
      boxes,
      faces.map((f) => f.box),
    );
    return {
      photo,
      labels: named.map((r, i) => ({
        faceId: match[i]! >= 0 ? faces[match[i]!]!.id : null,
        name: r.name!.trim(),
        box: boxes[i]!,
      })),
    };
  }

  /** Embeds the regions no face matched (async, before any transaction opens). */
  private async prepare(plans: Plan[], report: XmpReadReport): Promise<Added[]> {
    const added: Added[] = [];
    for (const plan of plans)
      for (const label of plan.labels) {
        if (label.faceId !== null) continue;
        try {
          added.push({ plan, label, face: await this.deps.embedFromBox(plan.photo.path, label.box) });
        } catch {
          report.unmatched++;
        }
      }
    return added;
  }

  private applyPlans(plans: Plan[], added: Added[], report: XmpReadReport, rec: UndoRecorder | null): void {
    for (const { plan, label, face } of added) {
      const { modelId, ...input } = face;
      label.faceId = this.deps.faces.insertExtra(plan.photo.id, { ...input, box: label.box }, modelId, 'xmp');
      rec?.createdFace(label.faceId);
    }
    const recorder = rec ?? this.deps.undo.scratch();
    for (const plan of plans)
      for (const label of plan.labels) {
        if (label.faceId === null) continue;
        const current = this.deps.assignments.get(label.faceId);
        const person = this.deps.people.find(label.name);
        if (current?.kind === 'confirmed') {
          if (person === null || current.personId !== person.id) report.conflicts++;
          continue;
        }
        if (person && this.deps.assignments.isRejected(label.faceId, person.id)) {
          report.conflicts++;
          continue;
        }
        try {
          this.deps.people.confirmFaces([label.faceId], label.name, recorder, 'xmp');
          report.confirmed++;
        } catch {
          report.conflicts++; // e.g. the photo already has this person on another face
        }
      }
  }

  /** Reads the XMP regions of one photo (the scanner calls this after storing the photo's faces). */
  async readPhoto(photoId: number): Promise<XmpReadReport> {
    const report: XmpReadReport = { photos: 0, regions: 0, confirmed: 0, unmatched: 0, conflicts: 0 };
    const photo = this.deps.labels.photo(photoId);
    if (!photo) return report;
    const plan = await this.plan(photo, report);
    if (!plan || plan.labels.length === 0) return report;
    report.photos = 1;
    const added = await this.prepare([plan], report);
    this.deps.transaction(() => {
      this.applyPlans([plan], added, report, null);
    });
    return report;
  }

  /** Reads the XMP regions of the given photos (default: every indexed photo) as one undoable edit. */
  async read(photoIds?: readonly number[]): Promise<XmpReadReport> {
    const report: XmpReadReport = { photos: 0, regions: 0, confirmed: 0, unmatched: 0, conflicts: 0 };
    const photos = photoIds
      ? photoIds.map((id) => this.deps.labels.photo(id)).filter((p): p is PhotoRef => p !== null)
      : this.deps.labels.donePhotos();
    const plans: Plan[] = [];
    for (const photo of photos) {
      const plan = await this.plan(photo, report);
      if (plan && plan.labels.length > 0) {
        plans.push(plan);
        report.photos++;
      }
    }
    if (plans.length === 0) return report;
    const added = await this.prepare(plans, report);
    this.deps.undo.edit('xmp-import', (rec) => {
      this.applyPlans(plans, added, report, rec);
      return { summary: `Read names from XMP for ${report.photos} photos` };
    });
    return report;
  }

  /** Writes sidecars for the given photos (default: every photo with a confirmed face). */
  async write(photoIds?: readonly number[]): Promise<{
    photos: number;
    written: string[];
    unchanged: number;
    errors: { path: string; error: string }[];
  }> {
    const photos = photoIds
      ? photoIds.map((id) => this.deps.labels.photo(id)).filter((p): p is PhotoRef => p !== null)
      : this.deps.labels.photosWithNames();
    const out = {
      photos: photos.length,
      written: [] as string[],
      unchanged: 0,
      errors: [] as { path: string; error: string }[],
    };
    for (const photo of photos) {
      try {
        const file = await this.writeOne(photo);
        if (file) out.written.push(file);
        else out.unchanged++;
      } catch (err) {
        out.errors.push({ path: photo.path, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return out;
  }

  private async writeOne(photo: PhotoRef): Promise<string | null> {
    if (photo.width === null || photo.height === null) throw new Error('The photo has not been indexed yet');
    const orientation = photo.orientation ?? (await readOrientation(photo.path));
    const W = photo.width;
    const H = photo.height;
    const faces = this.deps.labels.namedFaces(photo.id);
    const ours: MwgRegion[] = faces
      .filter((f) => f.name !== null)
      .map((f) => ({
        name: f.name,
        type: 'Face',
        box: orientedToStored(
          { x: f.box.x / W, y: f.box.y / H, w: f.box.w / W, h: f.box.h / H },
          orientation,
        ),
      }));
    const existing = await readSidecarInfo(photo.path);
    const allFaces = faces.map((f) =>
      orientedToStored({ x: f.box.x / W, y: f.box.y / H, w: f.box.w / W, h: f.box.h / H }, orientation),
    );
    const kept = (existing?.info?.regions ?? []).filter((r, i, list) => {
      const m = matchBoxes([r.box], allFaces)[0]!;
      return m < 0 && list.indexOf(r) === i;
    });
    const stored = swapsAxes(orientation) ? { w: H, h: W } : { w: W, h: H };
    const info = { appliedTo: stored, regions: [...ours, ...kept] };
    if (existing?.info && sameRegions(existing.info.regions, info.regions)) return null;
    if (!existing && ours.length === 0) return null;
    return writeSidecar(photo.path, withRegions(existing?.text ?? null, info));
  }
}

function sameRegions(a: MwgRegion[], b: MwgRegion[]): boolean {
  if (a.length !== b.length) return false;
  const key = (r: MwgRegion): string =>
    `${r.name}|${r.type}|${[r.box.x + r.box.w / 2, r.box.y + r.box.h / 2, r.box.w, r.box.h].map((v) => Math.round(v * 1e6)).join(',')}`;
  const ka = a.map(key).sort();
  const kb = b.map(key).sort();
  return ka.every((k, i) => k === kb[i]);
}
