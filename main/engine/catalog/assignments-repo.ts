/**
 * Assignments (which person a face is) and rejections ("not this person").
 * [Note: user work is sacred] A confirmed assignment is only ever replaced by another user action;
 * machine writers (clustering, recognition, the head) go through setMachine(), which refuses to touch a
 * confirmed face, to give a face to a person it was rejected from, or to name a gone face or person.
 */
import type { Db } from './database';

export type AssignmentKind = 'confirmed' | 'suggested' | 'auto';

export interface AssignmentRow {
  faceId: number;
  personId: number;
  kind: AssignmentKind;
  source: string;
  confidence: number | null;
  createdAt: number;
}

interface RawAssignment {
  face_id: number;
  person_id: number;
  kind: AssignmentKind;
  source: string;
  confidence: number | null;
  created_at: number;
}

const toRow = (r: RawAssignment): AssignmentRow => ({
  faceId: r.face_id,
  personId: r.person_id,
  kind: r.kind,
  source: r.source,
  confidence: r.confidence,
  createdAt: r.created_at,
});

export class AssignmentsRepo {
  constructor(private readonly db: Db) {}

  get(faceId: number): AssignmentRow | null {
    const r = this.db.prepare('SELECT * FROM assignments WHERE face_id = ?').get(faceId) as
      RawAssignment | undefined;
    return r ? toRow(r) : null;
  }

  /** A user decision: the face is this person. Clears a rejection of the same pair. */
  confirm(faceId: number, personId: number, source = 'user', now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO assignments (face_id, person_id, kind, source, confidence, created_at)
         VALUES (?, ?, 'confirmed', ?, NULL, ?)
         ON CONFLICT(face_id) DO UPDATE SET person_id = excluded.person_id, kind = 'confirmed',
           source = excluded.source, confidence = NULL, created_at = excluded.created_at`,
      )
      .run(faceId, personId, source, now);
    this.db.prepare('DELETE FROM rejections WHERE face_id = ? AND person_id = ?').run(faceId, personId);
  }

  /**
   * A machine suggestion or auto-assignment. Returns false (and writes nothing) when the face is
   * confirmed, was rejected from that person, or is gone (deleted), or when the person is no longer live
   * (merged away, or deleted by an undo): a machine decision may come from a read that edits have
   * overtaken ([Note: recognition reads off the serving thread]), so the rows are checked as they are now.
   */
  setMachine(
    faceId: number,
    personId: number,
    kind: 'suggested' | 'auto',
    source: string,
    confidence: number,
    now = Date.now(),
  ): boolean {
    const res = this.db
      .prepare(
        `INSERT INTO assignments (face_id, person_id, kind, source, confidence, created_at)
         SELECT ?, ?, ?, ?, ?, ?
         WHERE NOT EXISTS (SELECT 1 FROM rejections WHERE face_id = ? AND person_id = ?)
           AND EXISTS (SELECT 1 FROM faces WHERE id = ? AND deleted_at IS NULL)
           AND EXISTS (SELECT 1 FROM people WHERE id = ? AND merged_into IS NULL)
         ON CONFLICT(face_id) DO UPDATE SET person_id = excluded.person_id, kind = excluded.kind,
           source = excluded.source, confidence = excluded.confidence, created_at = excluded.created_at
         WHERE assignments.kind <> 'confirmed'`,
      )
      .run(faceId, personId, kind, source, confidence, now, faceId, personId, faceId, personId);
    return res.changes > 0;
  }

  /** Removes a machine assignment (never a confirmed one). */
  clearMachine(faceId: number): void {
    this.db.prepare("DELETE FROM assignments WHERE face_id = ? AND kind <> 'confirmed'").run(faceId);
  }

  /** Removes any assignment of the face, confirmed included: only for explicit user actions. */
  remove(faceId: number): void {
    this.db.prepare('DELETE FROM assignments WHERE face_id = ?').run(faceId);
  }

  /** "Not this person": persistent; also drops the face's current assignment to that person. */
  reject(faceId: number, personId: number, now = Date.now()): void {
    this.db
      .prepare('INSERT OR IGNORE INTO rejections (face_id, person_id, created_at) VALUES (?, ?, ?)')
      .run(faceId, personId, now);
    this.db.prepare('DELETE FROM assignments WHERE face_id = ? AND person_id = ?').run(faceId, personId);
  }

  /** Writes an assignment exactly as it was (undo). */
  restore(row: AssignmentRow): void {
    this.db
      .prepare(
        `INSERT INTO assignments (face_id, person_id, kind, source, confidence, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(face_id) DO UPDATE SET person_id = excluded.person_id, kind = excluded.kind,
           source = excluded.source, confidence = excluded.confidence, created_at = excluded.created_at`,
      )
      .run(row.faceId, row.personId, row.kind, row.source, row.confidence, row.createdAt);
  }

  /** When the face was rejected from the person, or null if it was not (undo records this). */
  rejectedAt(faceId: number, personId: number): number | null {
    const r = this.db
      .prepare('SELECT created_at FROM rejections WHERE face_id = ? AND person_id = ?')
      .get(faceId, personId) as { created_at: number } | undefined;
    return r ? r.created_at : null;
  }

  /** Re-creates a rejection with its original time (undo). */
  restoreRejection(faceId: number, personId: number, createdAt: number): void {
    this.db
      .prepare('INSERT OR REPLACE INTO rejections (face_id, person_id, created_at) VALUES (?, ?, ?)')
      .run(faceId, personId, createdAt);
  }

  /** Rejections of one person (merge moves them). */
  rejectionsOf(personId: number): { faceId: number; createdAt: number }[] {
    return (
      this.db.prepare('SELECT face_id, created_at FROM rejections WHERE person_id = ?').all(personId) as {
        face_id: number;
        created_at: number;
      }[]
    ).map((r) => ({ faceId: r.face_id, createdAt: r.created_at }));
  }

  unreject(faceId: number, personId: number): void {
    this.db.prepare('DELETE FROM rejections WHERE face_id = ? AND person_id = ?').run(faceId, personId);
  }

  isRejected(faceId: number, personId: number): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM rejections WHERE face_id = ? AND person_id = ?')
      .get(faceId, personId);
  }

  rejections(): { faceId: number; personId: number }[] {
    return (this.db.prepare('SELECT face_id, person_id FROM rejections').all() as RawAssignment[]).map(
      (r) => ({
        faceId: r.face_id,
        personId: r.person_id,
      }),
    );
  }

  /** Whether a live face is confirmed as a live person: recognition has a model only then. */
  anyConfirmedOfLive(): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM assignments a
           JOIN people p ON p.id = a.person_id AND p.merged_into IS NULL
           JOIN faces f ON f.id = a.face_id AND f.deleted_at IS NULL
           WHERE a.kind = 'confirmed' LIMIT 1`,
        )
        .get() !== undefined
    );
  }

  byKind(kind: AssignmentKind): AssignmentRow[] {
    return (this.db.prepare('SELECT * FROM assignments WHERE kind = ?').all(kind) as RawAssignment[]).map(
      toRow,
    );
  }

  forPerson(personId: number): AssignmentRow[] {
    return (
      this.db.prepare('SELECT * FROM assignments WHERE person_id = ?').all(personId) as RawAssignment[]
    ).map(toRow);
  }
}
