/**
 * The user's edits of people: name faces or a group, rename, merge, hide, move faces, confirm
 * suggestions. Each is one undoable entry ([Note: undo by snapshots]) and a user decision, so it may
 * change confirmed assignments; nothing else in the engine may ([Note: user work is sacred]).
 */
import { UserError } from '../../api/contract';
import type { AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterRepo } from '../catalog/cluster-repo';
import type { Db } from '../catalog/database';
import type { PeopleRepo, PersonRow } from '../catalog/people-repo';
import { refuse, said } from './edit-messages';
import type { UndoRecorder, UndoService } from './undo-service';
import type { MessageDto } from '../../api/common';

/** A person named by id (number) or by name (string, case-insensitive). */
export type PersonRef = number | string;

export interface PeopleServiceDeps {
  db: Db;
  people: PeopleRepo;
  assignments: AssignmentsRepo;
  clusters: ClusterRepo;
  undo: UndoService;
}

export function cleanName(name: string): string {
  const n = name.trim().replace(/\s+/g, ' ');
  if (!n) throw refuse('err.emptyName');
  if (n.length > 200) throw refuse('err.longName');
  return n;
}

/** An edit's result: its English summary and its message for the UI ([Note: worded messages]). */
export interface Said {
  summary: string;
  message: MessageDto;
}

/** An undoable edit's outcome: what it says, and its entry in the undo log (UndoService.edit). */
export type Edited = Said & { undoId: number };

export class PeopleService {
  constructor(private readonly deps: PeopleServiceDeps) {}

  /** The live person a reference means; a merged person resolves to the one it was merged into. */
  resolve(ref: PersonRef): PersonRow {
    let p = typeof ref === 'number' ? this.deps.people.get(ref) : this.deps.people.byName(cleanName(ref));
    for (let hops = 0; p?.mergedInto != null && hops < 100; hops++) p = this.deps.people.get(p.mergedInto);
    if (!p && typeof ref === 'number')
      throw new UserError(`No person with id ${ref}`, 'not_found', said('err.personGone').message);
    if (!p) throw refuse('err.noPerson', { name: ref }, 'not_found');
    return p;
  }

  /** The live person with this name, or null. */
  find(name: string): PersonRow | null {
    return this.deps.people.byName(name.trim().replace(/\s+/g, ' '));
  }

  /** The person with this name, created (and recorded for undo) when there is none. */
  ensure(ref: PersonRef, rec: UndoRecorder): PersonRow {
    if (typeof ref === 'number') return this.resolve(ref);
    const name = cleanName(ref);
    const found = this.deps.people.byName(name);
    if (found) return found;
    const created = this.deps.people.create(name);
    rec.createdPerson(created.id);
    return created;
  }

  private liveFace(faceId: number): { id: number; photoId: number; clusterId: number | null } {
    const s = this.deps.clusters.state(faceId);
    if (!s) throw new UserError(`No face with id ${faceId}`, 'not_found', said('err.faceGone').message);
    return s;
  }

  /**
   * Confirms faces as one person (creating the person if the name is new). Two faces of one photo are
   * never the same person, so naming them alike is refused, as is naming a face alike with a face of the
   * same photo the person already has.
   */
  confirmFaces(faceIds: readonly number[], person: PersonRef, rec: UndoRecorder, source = 'user'): PersonRow {
    const faces = [...new Set(faceIds)].map((id) => this.liveFace(id));
    if (faces.length === 0) throw refuse('err.noFaces');
    const target = this.ensure(person, rec);
    const photos = new Map<number, number>();
    for (const a of this.deps.assignments.forPerson(target.id)) {
      if (a.kind !== 'confirmed' || faceIds.includes(a.faceId)) continue;
      const s = this.deps.clusters.state(a.faceId);
      if (s) photos.set(s.photoId, s.id);
    }
    const namedBefore = new Set(photos.values());
    for (const f of faces) {
      const other = photos.get(f.photoId);
      if (other !== undefined && other !== f.id)
        // Said of the face itself when the other is already theirs: "two of these faces" read wrong for one.
        throw refuse(
          namedBefore.has(other) ? 'err.samePhotoNamed' : 'err.samePhoto',
          { name: target.name },
          'conflict',
        );
      photos.set(f.photoId, f.id);
    }
    for (const f of faces) {
      rec.assignment(f.id);
      rec.rejection(f.id, target.id);
      rec.face(f.id);
      this.deps.assignments.confirm(f.id, target.id, source);
      if (f.clusterId !== null) this.deps.clusters.setCluster(f.id, null);
    }
    if (target.coverFaceId === null) {
      rec.person(target.id);
      this.deps.people.setCover(target.id, faces[0]!.id);
    }
    return target;
  }

  /** Names faces (or moves them to another person): "these are NAME". */
  name(faceIds: readonly number[], person: PersonRef): Edited & { person: PersonRow } {
    return this.deps.undo.edit('name', (rec) => {
      const target = this.confirmFaces(faceIds, person, rec);
      return { person: target, ...said('edit.named', { n: faceIds.length, name: target.name }) };
    });
  }

  /** Names every face of an unnamed group. */
  nameGroup(clusterId: number, person: PersonRef): Edited & { person: PersonRow } {
    const members = this.deps.clusters.members(clusterId);
    if (members.length === 0)
      throw new UserError(`No group with id ${clusterId}`, 'not_found', said('err.groupGone').message);
    return this.deps.undo.edit('name-group', (rec) => {
      const target = this.confirmFaces(members, person, rec);
      return { person: target, ...said('edit.namedGroup', { n: members.length, name: target.name }) };
    });
  }

  /** Confirms the current suggestion of each face (bulk "yes"). Faces without one are reported, not changed. */
  confirmSuggestions(faceIds: readonly number[]): Edited & { confirmed: number[]; skipped: number[] } {
    return this.deps.undo.edit('confirm', (rec) => {
      const confirmed: number[] = [];
      const skipped: number[] = [];
      for (const id of new Set(faceIds)) {
        const a = this.deps.assignments.get(id);
        if (!this.deps.clusters.state(id) || !a || a.kind === 'confirmed') {
          skipped.push(id);
          continue;
        }
        this.confirmFaces([id], a.personId, rec);
        confirmed.push(id);
      }
      return { confirmed, skipped, ...said('edit.confirmed', { n: confirmed.length }) };
    });
  }

  rename(person: PersonRef, newName: string): Edited & { person: PersonRow } {
    const name = cleanName(newName);
    return this.deps.undo.edit('rename', (rec) => {
      const p = this.resolve(person);
      // No change, no history entry: an empty "Renamed Ann to Ann" would sit first in line for Undo.
      if (p.name === name) throw refuse('err.sameName', { name });
      const clash = this.deps.people.byName(name);
      if (clash && clash.id !== p.id) throw refuse('err.nameTaken', { name: clash.name }, 'conflict');
      rec.person(p.id);
      this.deps.people.rename(p.id, name);
      return { person: { ...p, name }, ...said('edit.renamed', { from: p.name, to: name }) };
    });
  }

  setHidden(person: PersonRef, hidden: boolean): Edited & { person: PersonRow } {
    return this.deps.undo.edit(hidden ? 'hide' : 'show', (rec) => {
      const p = this.resolve(person);
      rec.person(p.id);
      this.deps.people.setHidden(p.id, hidden);
      return { person: { ...p, hidden }, ...said(hidden ? 'edit.hid' : 'edit.showed', { name: p.name }) };
    });
  }

  /**
   * Merges `from` into `into`: every face of `from` (confirmed or suggested) and every rejection moves to
   * `into`; `from` is kept, marked merged, so undo restores it exactly. Where the two disagree (a face
   * confirmed as one and rejected from the other) the merge, the newer decision, wins. `name`: the kept
   * person's name afterwards (a rename to the other's name, answered with a merge); it may be `from`'s.
   */
  merge(from: PersonRef, into: PersonRef, name?: string): Edited & { person: PersonRow } {
    const newName = name === undefined ? undefined : cleanName(name);
    return this.deps.undo.edit('merge', (rec) => {
      const a = this.resolve(from);
      const b = this.resolve(into);
      if (a.id === b.id) throw refuse('err.samePerson', { name: a.name });
      const { assignments, people } = this.deps;
      // `into` first: undo writes the rows back in this order, and `into` must give back a name it took
      // from `from` before `from` is live again (live names are unique).
      rec.person(b.id);
      rec.person(a.id);
      const moved = assignments.forPerson(a.id);
      for (const row of moved) {
        rec.assignment(row.faceId);
        rec.rejection(row.faceId, b.id);
        assignments.unreject(row.faceId, b.id);
        assignments.restore({ ...row, personId: b.id });
      }
      for (const r of assignments.rejectionsOf(a.id)) {
        rec.rejection(r.faceId, a.id);
        rec.rejection(r.faceId, b.id);
        assignments.unreject(r.faceId, a.id);
        const current = assignments.get(r.faceId);
        if (current?.kind === 'confirmed' && current.personId === b.id) continue;
        if (current && current.personId === b.id) {
          rec.assignment(r.faceId);
          assignments.clearMachine(r.faceId);
        }
        if (assignments.rejectedAt(r.faceId, b.id) === null)
          assignments.restoreRejection(r.faceId, b.id, r.createdAt);
      }
      people.setMergedInto(a.id, b.id);
      if (b.coverFaceId === null && a.coverFaceId !== null) people.setCover(b.id, a.coverFaceId);
      if (newName !== undefined && newName !== b.name) {
        const clash = people.byName(newName);
        if (clash && clash.id !== b.id) throw refuse('err.nameTaken', { name: clash.name }, 'conflict');
        people.rename(b.id, newName);
        return {
          person: { ...b, name: newName },
          ...said('edit.mergedAs', { from: a.name, into: b.name, n: moved.length, name: newName }),
        };
      }
      return { person: b, ...said('edit.merged', { from: a.name, into: b.name, n: moved.length }) };
    });
  }
}
