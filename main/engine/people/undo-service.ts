/**
 * Undo for every user edit. [Note: undo by snapshots] Before an edit touches a row it records the row's
 * state (person, face flags, assignment, rejection); undo writes those states back, in an order that keeps
 * foreign keys valid, and removes what the edit created (people, hand-drawn faces, splits). One generic
 * mechanism instead of an inverse per operation: a new kind of edit is undoable as soon as it records
 * what it touches. The log is in the catalog, so undo works across restarts. Undo is last-in first-out.
 */
import type { AssignmentRow, AssignmentsRepo } from '../catalog/assignments-repo';
import type { ClusterRepo } from '../catalog/cluster-repo';
import type { Db } from '../catalog/database';
import type { PeopleRepo, PersonRow } from '../catalog/people-repo';
import type { UndoEntry, UndoRepo } from '../catalog/undo-repo';
import type { MessageDto } from '../../api/common';
import { refuse } from './edit-messages';

interface UndoPayload {
  v: 1;
  people: { id: number; before: PersonRow | null }[];
  faces: { id: number; before: { clusterId: number | null; deletedAt: number | null } | null }[];
  assignments: { faceId: number; before: AssignmentRow | null }[];
  rejections: { faceId: number; personId: number; before: number | null }[];
  splits: number[];
}

/** Collects the before-state of everything one edit touches. Call each method BEFORE changing the row. */
export class UndoRecorder {
  readonly payload: UndoPayload = {
    v: 1,
    people: [],
    faces: [],
    assignments: [],
    rejections: [],
    splits: [],
  };
  private readonly seen = new Set<string>();

  constructor(private readonly deps: UndoDeps) {}

  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  person(id: number): void {
    if (this.first(`p${id}`)) this.payload.people.push({ id, before: this.deps.people.get(id) });
  }

  /** A person this edit creates (undo deletes it again). */
  createdPerson(id: number): void {
    if (this.first(`p${id}`)) this.payload.people.push({ id, before: null });
  }

  face(id: number): void {
    if (!this.first(`f${id}`)) return;
    const s = this.deps.clusters.state(id, true);
    this.payload.faces.push({ id, before: s ? { clusterId: s.clusterId, deletedAt: s.deletedAt } : null });
  }

  /** A face this edit creates (a hand-drawn face: undo deletes it). */
  createdFace(id: number): void {
    if (this.first(`f${id}`)) this.payload.faces.push({ id, before: null });
  }

  assignment(faceId: number): void {
    if (this.first(`a${faceId}`))
      this.payload.assignments.push({ faceId, before: this.deps.assignments.get(faceId) });
  }

  rejection(faceId: number, personId: number): void {
    if (this.first(`r${faceId}:${personId}`))
      this.payload.rejections.push({
        faceId,
        personId,
        before: this.deps.assignments.rejectedAt(faceId, personId),
      });
  }

  split(splitId: number): void {
    this.payload.splits.push(splitId);
  }
}

export interface UndoDeps {
  db: Db;
  undo: UndoRepo;
  people: PeopleRepo;
  assignments: AssignmentsRepo;
  clusters: ClusterRepo;
}

export class UndoService {
  constructor(private readonly deps: UndoDeps) {}

  /**
   * Runs one user edit in a transaction and logs it. `edit` records what it touches on the recorder
   * before touching it, and returns the summary shown to the user ("Named 12 faces Alice").
   */
  edit<T extends { summary: string; message?: MessageDto }>(
    op: string,
    edit: (rec: UndoRecorder) => T,
  ): T & { undoId: number } {
    return this.deps.db.transaction(() => {
      const rec = new UndoRecorder(this.deps);
      const result = edit(rec);
      const message = result.message ? JSON.stringify(result.message) : null;
      const undoId = this.deps.undo.append(
        op,
        result.summary,
        JSON.stringify(rec.payload),
        Date.now(),
        message,
      );
      return { ...result, undoId };
    })();
  }

  /** A recorder whose record is thrown away: for machine-made changes that are not user edits (XMP on scan). */
  scratch(): UndoRecorder {
    return new UndoRecorder(this.deps);
  }

  /**
   * Reverses the newest edit not yet undone (refused unless it is `expect`, when given). Returns what was
   * undone, or null when nothing is left.
   * `regroup`: whether the undo changed anything grouping reads (faces, names of faces, rejections,
   * splits). An undone rename or hide wrote back a person row only, so it needs no grouping run: running
   * one anyway showed "Grouping faces…" (and a recognition run) after a rename's undo for nothing.
   */
  undo(
    expect?: number,
  ): { op: string; summary: string; message: MessageDto | null; regroup: boolean } | null {
    const { db, undo, people, assignments, clusters } = this.deps;
    return db.transaction(() => {
      const entry = undo.latestOpen();
      // [Note: a notice undoes its own edit] A notice's Undo names its edit: when another window, tab or
      // the command line made a change since (or undid this one), undoing "the latest" would take back
      // something the user did not see named, so it is refused and nothing changes.
      if (expect !== undefined && entry?.id !== expect) throw refuse('err.notLatest', {}, 'conflict');
      if (!entry) return null;
      const p = JSON.parse(entry.payload) as UndoPayload;
      for (const { before } of p.people) if (before) people.restore(before);
      for (const { id, before } of p.faces) {
        if (!before) continue;
        clusters.setCluster(id, before.clusterId);
        clusters.setDeleted(id, before.deletedAt);
      }
      for (const { faceId, before } of p.assignments) {
        if (before) assignments.restore(before);
        else assignments.remove(faceId);
      }
      for (const { faceId, personId, before } of p.rejections) {
        if (before !== null) assignments.restoreRejection(faceId, personId, before);
        else assignments.unreject(faceId, personId);
      }
      for (const split of p.splits) clusters.removeSplit(split);
      for (const { id, before } of p.faces) if (!before) clusters.deleteFace(id);
      for (const { id, before } of p.people) if (!before) people.deleteUnreferenced(id);
      undo.markUndone(entry.id);
      const regroup = p.faces.length + p.assignments.length + p.rejections.length + p.splits.length > 0;
      return { op: entry.op, summary: entry.summary, message: messageOf(entry), regroup };
    })();
  }

  history(limit: number) {
    return this.deps.undo.recent(limit).map((e) => ({
      id: e.id,
      op: e.op,
      summary: e.summary,
      message: messageOf(e),
      at: e.createdAt,
      undone: e.undoneAt !== null,
    }));
  }
}

function messageOf(e: UndoEntry): MessageDto | null {
  if (e.message === null) return null;
  try {
    return JSON.parse(e.message) as MessageDto;
  } catch {
    return null;
  }
}
