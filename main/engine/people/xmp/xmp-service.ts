/**
 * XMP face regions into the catalog (reading; writing is xmp-writer.ts).
 * Named face regions become confirmed labels (source 'xmp') on the faces they match by overlap; a named
 * region no detected face matches is added as a face of its own, embedded from the region's box. A face
 * the user already confirmed as someone else, or rejected from that name, keeps the user's decision
 * ([Note: user work is sacred]), and such a conflicting region adds nothing — no face, no suggestion —
 * until it is resolved. Regions too small or outside the image, and unreadable sidecars, are named in the
 * report; a bad sidecar is also recorded as a warning on its photo ([Note: bad sidecars]).
 */
import path from 'node:path';
import type { MessageDto } from '../../../api/common';
import { UserError } from '../../../api/contract';
import type { AssignmentsRepo } from '../../catalog/assignments-repo';
import type { FacesRepo } from '../../catalog/faces-repo';
import type { LabelsRepo, PhotoRef } from '../../catalog/labels-repo';
import type { PhotosRepo } from '../../catalog/photos-repo';
import { matchBoxes } from '../box-match';
import type { EmbedFromBox } from '../../vision/shared-vision-pool';
import type { PeopleService } from '../people-service';
import type { UndoRecorder, UndoService } from '../undo-service';
import type { NormBox } from './orientation';
import { readXmpRegions } from './xmp-files';
import { XmpWriter, type XmpWriteReport } from './xmp-writer';

export interface XmpServiceDeps {
  labels: LabelsRepo;
  assignments: AssignmentsRepo;
  faces: FacesRepo;
  photos: Pick<PhotosRepo, 'setWarning'>;
  people: PeopleService;
  undo: UndoService;
  embedFromBox: EmbedFromBox;
  /** Runs a function in one catalog transaction (reads on scan are not undo entries). */
  transaction: <T>(fn: () => T) => T;
}

export interface XmpProblem {
  path: string;
  name: string | null;
  /** In English for the CLI; `say` words it for the UI ([Note: worded messages]), the detail as a parameter. */
  reason: string;
  say: MessageDto;
}

const say = (key: string, params: MessageDto['params'] = {}): MessageDto => ({ key, params });

export interface XmpReadReport {
  photos: number;
  regions: number;
  confirmed: number;
  unmatched: number;
  conflicts: number;
  /** Each region not used (too small, outside the image, in conflict) and each unreadable sidecar. */
  problems: XmpProblem[];
}

/** Smallest region (full-resolution pixels per side) worth embedding as a face. */
export const MIN_REGION_PX = 8;

interface Label {
  faceId: number | null;
  name: string;
  box: NormBox;
}

interface Plan {
  photo: PhotoRef;
  labels: Label[];
}

interface Added {
  plan: Plan;
  label: Label;
  face: Awaited<ReturnType<EmbedFromBox>>;
}

const isFace = (type: string | null): boolean => type === null || type.toLowerCase() === 'face';
const emptyReport = (): XmpReadReport => ({
  photos: 0,
  regions: 0,
  confirmed: 0,
  unmatched: 0,
  conflicts: 0,
  problems: [],
});

export class XmpService {
  private readonly writer: XmpWriter;

  constructor(private readonly deps: XmpServiceDeps) {
    this.writer = new XmpWriter(deps);
  }

  /** Why naming this face (null: a face to add) `name` would go against the catalog; null when it would not. */
  private conflict(photo: PhotoRef, faceId: number | null, name: string, taken: Set<string>): string | null {
    const { people, assignments, labels } = this.deps;
    if (taken.has(name.toLowerCase())) return 'the name is on another region of this photo too';
    const person = people.find(name);
    const faces = labels.namedFaces(photo.id);
    if (faceId !== null) {
      const current = assignments.get(faceId);
      if (current?.kind === 'confirmed' && (person === null || current.personId !== person.id))
        return `this face is confirmed as ${faces.find((f) => f.id === faceId)?.name ?? 'someone else'}`;
      if (person && assignments.isRejected(faceId, person.id))
        return `this face was rejected from ${person.name}`;
    }
    if (
      person &&
      faces.some((f) => f.id !== faceId && f.name !== null && people.find(f.name)?.id === person.id)
    )
      return `${person.name} is already on another face of this photo`;
    return null;
  }

  private async plan(photo: PhotoRef, report: XmpReadReport): Promise<Plan | null> {
    if (photo.width === null || photo.height === null) return null;
    const found = await readXmpRegions(photo.path, photo.orientation);
    const warning = found.warnings.length > 0 ? `XMP sidecar not read: ${found.warnings.join('; ')}` : null;
    this.deps.photos.setWarning(photo.id, warning);
    for (const w of found.warnings)
      report.problems.push({
        path: photo.path,
        name: null,
        reason: w,
        say: say('xmp.unreadable', { reason: w }),
      });
    for (const s of found.skipped)
      report.problems.push({
        path: photo.path,
        name: s.name,
        reason: `${s.reason} (in ${path.basename(s.file)})`,
        say: say('xmp.regionSkipped', { reason: s.reason, file: path.basename(s.file) }),
      });
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
    const labels: Label[] = [];
    const taken = new Set<string>();
    named.forEach((r, i) => {
      const name = r.name!.trim();
      const box = boxes[i]!;
      const faceId = match[i]! >= 0 ? faces[match[i]!]!.id : null;
      const why = this.conflict(photo, faceId, name, taken);
      taken.add(name.toLowerCase());
      if (why !== null) {
        report.conflicts++;
        report.problems.push({
          path: photo.path,
          name,
          reason: `conflict, kept as it was: ${why}`,
          say: say('xmp.conflict', { reason: why }),
        });
        return;
      }
      if (faceId === null && (box.w < MIN_REGION_PX || box.h < MIN_REGION_PX)) {
        report.unmatched++;
        report.problems.push({
          path: photo.path,
          name,
          reason: `region too small to use (${box.w.toFixed(1)}×${box.h.toFixed(1)} px; at least ${MIN_REGION_PX} px a side)`,
          say: say('xmp.tooSmall', { w: Math.round(box.w), h: Math.round(box.h), min: MIN_REGION_PX }),
        });
        return;
      }
      labels.push({ faceId, name, box });
    });
    return { photo, labels };
  }

  /** Embeds the regions no face matched (async, before any transaction opens). */
  private async prepare(plans: Plan[], report: XmpReadReport): Promise<Added[]> {
    const added: Added[] = [];
    for (const plan of plans)
      for (const label of plan.labels) {
        if (label.faceId !== null) continue;
        try {
          const face = await this.deps.embedFromBox(plan.photo.path, label.box, plan.photo.orientation);
          added.push({ plan, label, face });
        } catch (err) {
          report.unmatched++;
          report.problems.push({
            path: plan.photo.path,
            name: label.name,
            reason: `no face could be made from the region: ${err instanceof Error ? err.message : String(err)}`,
            say: say('xmp.noFace', { reason: err instanceof Error ? err.message : String(err) }),
          });
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
        if (current?.kind === 'confirmed') continue; // already this person (conflicts were left out)
        try {
          this.deps.people.confirmFaces([label.faceId], label.name, recorder, 'xmp');
          report.confirmed++;
        } catch (err) {
          report.conflicts++;
          report.problems.push({
            path: plan.photo.path,
            name: label.name,
            reason: `conflict, kept as it was: ${err instanceof Error ? err.message : String(err)}`,
            say:
              err instanceof UserError && err.say
                ? err.say
                : say('xmp.conflict', { reason: err instanceof Error ? err.message : String(err) }),
          });
        }
      }
  }

  private async plans(photos: PhotoRef[], report: XmpReadReport): Promise<Plan[]> {
    const plans: Plan[] = [];
    for (const photo of photos) {
      try {
        const plan = await this.plan(photo, report);
        if (plan && plan.labels.length > 0) {
          plans.push(plan);
          report.photos++;
        }
      } catch (err) {
        // Not a sidecar's fault (those are warnings already): one photo's failure never stops the rest.
        const reason = `XMP not read: ${err instanceof Error ? err.message : String(err)}`;
        this.deps.photos.setWarning(photo.id, reason);
        const detail = err instanceof Error ? err.message : String(err);
        report.problems.push({
          path: photo.path,
          name: null,
          reason,
          say: say('xmp.unreadable', { reason: detail }),
        });
      }
    }
    return plans;
  }

  /** Reads the XMP regions of one photo (the scanner calls this after storing the photo's faces). */
  async readPhoto(photoId: number): Promise<XmpReadReport> {
    const report = emptyReport();
    const photo = this.deps.labels.photo(photoId);
    if (!photo) return report;
    const plans = await this.plans([photo], report);
    if (plans.length === 0) return report;
    const added = await this.prepare(plans, report);
    this.deps.transaction(() => {
      this.applyPlans(plans, added, report, null);
    });
    return report;
  }

  /** Reads the XMP regions of the given photos (default: every indexed photo) as one undoable edit. */
  async read(photoIds?: readonly number[]): Promise<XmpReadReport> {
    const report = emptyReport();
    const photos = photoIds
      ? photoIds.map((id) => this.deps.labels.photo(id)).filter((p): p is PhotoRef => p !== null)
      : this.deps.labels.donePhotos();
    const plans = await this.plans(photos, report);
    if (plans.length === 0) return report;
    const added = await this.prepare(plans, report);
    this.deps.undo.edit('xmp-import', (rec) => {
      this.applyPlans(plans, added, report, rec);
      return { summary: `Read names from XMP for ${report.photos} photos` };
    });
    return report;
  }

  /** Writes sidecars (default: every photo whose sidecar may need it, see XmpWriter). */
  write(photoIds?: readonly number[]): Promise<XmpWriteReport> {
    return this.writer.write(photoIds);
  }
}
