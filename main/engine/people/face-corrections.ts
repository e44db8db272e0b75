/**
 * Corrections of single faces and groups: "not this person" (persistent), split a group, delete a
 * detection that is not a face, add a face the detector missed. Each is one undoable entry.
 */
import { UserError } from '../../api/contract';
import type { Box } from '../../api/common';
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterRepo } from '../catalog/cluster-repo';
import type { FacesRepo } from '../catalog/faces-repo';
import { fileName, refuse, said } from './edit-messages';
import type { Edited, PeopleService, PersonRef } from './people-service';
import type { UndoService } from './undo-service';
import type { EmbedFromBox } from '../vision/shared-vision-pool';

export interface FaceCorrectionsDeps {
  assignments: AssignmentsRepo;
  clusters: ClusterRepo;
  faces: FacesRepo;
  people: PeopleService;
  undo: UndoService;
  photoOf: (photoId: number) => {
    path: string;
    width: number | null;
    height: number | null;
    orientation: number | null;
  } | null;
  embedFromBox: EmbedFromBox;
}

export class FaceCorrections {
  constructor(private readonly deps: FaceCorrectionsDeps) {}

  private live(faceId: number): { id: number; photoId: number; clusterId: number | null } {
    const s = this.deps.clusters.state(faceId);
    if (!s) throw new UserError(`No face with id ${faceId}`, 'not_found', said('err.faceGone').message);
    return s;
  }

  /**
   * "Not this person": the face leaves the person and never returns to them (through any grouping). A face
   * that was theirs (confirmed or named without asking) becomes a group of its own, as a face split off the
   * person does, so People can show it and it can be named: put back to be grouped again, a lone face fell
   * below the listed group size and left People entirely. A face that was only a question (suggested) goes
   * back to grouping, which places it away from this person (a whole group answered "no" stays together).
   */
  reject(faceIds: readonly number[], person: PersonRef): Edited & { clusterId: number | null } {
    // Several faces (a group question answered "no") are one edit: one Undo takes them all back.
    return this.deps.undo.edit('reject', (rec) => {
      const faces = [...new Set(faceIds)].map((id) => this.live(id));
      if (faces.length === 0) throw refuse('err.noFaces');
      const p = this.deps.people.resolve(person);
      let apart: number | null = null;
      for (const face of faces) {
        const was = this.deps.assignments.get(face.id);
        const theirs = was !== null && was.personId === p.id && was.kind !== 'suggested';
        rec.assignment(face.id);
        rec.rejection(face.id, p.id);
        rec.face(face.id);
        this.deps.assignments.reject(face.id, p.id);
        const clusterId = theirs ? this.deps.clusters.nextClusterId() : null;
        if (clusterId !== null || face.clusterId !== null) this.deps.clusters.setCluster(face.id, clusterId);
        apart ??= clusterId;
      }
      if (faces.length > 1)
        return { ...said('edit.rejectedMany', { name: p.name, n: faces.length }), clusterId: apart };
      return {
        ...said(apart !== null ? 'edit.rejectedApart' : 'edit.rejected', { name: p.name }),
        clusterId: apart,
      };
    });
  }

  /**
   * Splits faces off their group. From an unnamed group they become a group of their own, and the split
   * is kept so grouping never joins the two parts again; from a person they go to `name` if given, else
   * they are rejected from the person and form an unnamed group.
   */
  split(faceIds: readonly number[], name?: string): Edited & { clusterId: number | null } {
    return this.deps.undo.edit('split', (rec) => {
      const faces = [...new Set(faceIds)].map((id) => this.live(id));
      if (faces.length === 0) throw refuse('err.noFaces');
      const { assignments, clusters } = this.deps;
      const persons = new Set(faces.map((f) => assignments.get(f.id)?.personId ?? null));
      const groups = new Set(faces.map((f) => f.clusterId));
      const person = persons.size === 1 ? [...persons][0]! : null;
      const group = groups.size === 1 ? [...groups][0]! : null;
      if (person === null && group === null) throw refuse('err.splitMixed');
      if (person === null && group !== null) {
        const chosen = new Set(faces.map((f) => f.id));
        const members = clusters.members(group);
        if (members.every((m) => chosen.has(m))) throw refuse('err.splitAll');
        const split = clusters.nextSplitId();
        rec.split(split);
        for (const m of members) clusters.addSplit(split, m, chosen.has(m) ? 1 : 0);
        if (name !== undefined) {
          const p = this.deps.people.confirmFaces([...chosen], name, rec);
          return { ...said('edit.splitGroupAs', { n: chosen.size, name: p.name }), clusterId: null };
        }
        const id = clusters.nextClusterId();
        for (const f of faces) {
          rec.face(f.id);
          clusters.setCluster(f.id, id);
        }
        return { ...said('edit.splitGroup', { n: chosen.size }), clusterId: id };
      }
      const from = this.deps.people.resolve(person!);
      if (name !== undefined) {
        const p = this.deps.people.confirmFaces(
          faces.map((f) => f.id),
          name,
          rec,
        );
        return { ...said('edit.moved', { n: faces.length, from: from.name, to: p.name }), clusterId: null };
      }
      const id = clusters.nextClusterId();
      for (const f of faces) {
        rec.assignment(f.id);
        rec.rejection(f.id, from.id);
        rec.face(f.id);
        assignments.reject(f.id, from.id);
        clusters.setCluster(f.id, id);
      }
      return { ...said('edit.splitPerson', { n: faces.length, name: from.name }), clusterId: id };
    });
  }

  /** "Not a face": hides the detection (kept, so undo can bring it back with its labels). */
  deleteFace(faceId: number): Edited {
    return this.deps.undo.edit('delete-face', (rec) => {
      const face = this.live(faceId);
      rec.face(face.id);
      rec.assignment(face.id);
      this.deps.assignments.remove(face.id);
      this.deps.clusters.setCluster(face.id, null);
      this.deps.clusters.setDeleted(face.id, Date.now());
      return said('edit.deletedFace');
    });
  }

  /** Adds a face the detector missed, embedded from the drawn box; optionally names it. */
  async addFace(photoId: number, box: Box, name?: string): Promise<Edited & { faceId: number }> {
    const photo = this.deps.photoOf(photoId);
    if (!photo)
      throw new UserError(`No photo with id ${photoId}`, 'not_found', said('err.photoGone').message);
    if (!(box.w > 0 && box.h > 0)) throw refuse('err.boxEmpty');
    // Detected faces may overhang the edge a little; a drawn box must at least overlap the photo.
    if (
      photo.width !== null &&
      photo.height !== null &&
      (box.x >= photo.width || box.y >= photo.height || box.x + box.w <= 0 || box.y + box.h <= 0)
    )
      throw new UserError(
        `The box lies outside the photo (${photo.width}×${photo.height})`,
        'bad_request',
        said('err.boxOutside').message,
      );
    const { modelId, ...face } = await this.deps.embedFromBox(photo.path, box, photo.orientation);
    return this.deps.undo.edit('add-face', (rec) => {
      const id = this.deps.faces.insertExtra(photoId, { ...face, box }, modelId, 'manual');
      rec.createdFace(id);
      if (name !== undefined) {
        const p = this.deps.people.confirmFaces([id], name, rec);
        return { faceId: id, ...said('edit.addedFaceAs', { file: fileName(photo.path), name: p.name }) };
      }
      return { faceId: id, ...said('edit.addedFace', { file: fileName(photo.path) }) };
    });
  }
}
