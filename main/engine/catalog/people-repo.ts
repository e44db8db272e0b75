/**
 * People (named persons): names, hidden flag, cover face, merges. A merged person keeps its row (with
 * merged_into set) so undo can bring it back; every listing shows only people that are not merged.
 */
import type { Db } from './database';

export interface PersonRow {
  id: number;
  name: string;
  hidden: boolean;
  coverFaceId: number | null;
  mergedInto: number | null;
  createdAt: number;
}

interface Raw {
  id: number;
  name: string;
  hidden: number;
  cover_face_id: number | null;
  merged_into: number | null;
  created_at: number;
}

const toRow = (r: Raw): PersonRow => ({
  id: r.id,
  name: r.name,
  hidden: r.hidden !== 0,
  coverFaceId: r.cover_face_id,
  mergedInto: r.merged_into,
  createdAt: r.created_at,
});

export interface PersonCounts {
  confirmed: number;
  suggested: number;
  auto: number;
}

/**
 * [Note: covers follow the faces] A person's cover is the face stored as their cover only while that face
 * is still theirs (named by the user or by Visage, not deleted); once it was moved, split off or rejected,
 * their best remaining face (confirmed first, then by quality) stands in, read fresh with every row, so
 * no card shows a face that is no longer the person's. No faces left: no cover.
 *
 * Every list of people reads this, so it is kept cheap at library scale: the best confirmed face is looked
 * for among the confirmed ones alone (one sort over every confirmed and auto face read all of a person's
 * faces Visage named, tens of thousands after recognition: 0.4 s for 150 people over 90 000 auto faces),
 * and each face's quality comes from the small faces_state index (migration 015) instead of its 2 KB row
 * (the planner would take the row by its id).
 */
const LIVE_FACE =
  'assignments a JOIN faces f INDEXED BY faces_state ON f.id = a.face_id AND f.deleted_at IS NULL';
const PERSON = `SELECT p.id, p.name, p.hidden, p.merged_into, p.created_at, COALESCE(
    (SELECT a.face_id FROM ${LIVE_FACE}
      WHERE a.face_id = p.cover_face_id AND a.person_id = p.id AND a.kind IN ('confirmed', 'auto')),
    (SELECT a.face_id FROM ${LIVE_FACE} WHERE a.person_id = p.id AND a.kind = 'confirmed'
      ORDER BY f.quality DESC, a.face_id LIMIT 1),
    (SELECT a.face_id FROM ${LIVE_FACE} WHERE a.person_id = p.id AND a.kind = 'auto'
      ORDER BY f.quality DESC, a.face_id LIMIT 1)
  ) AS cover_face_id FROM people p`;

interface CountRow {
  id: number;
  kind: keyof PersonCounts;
  n: number;
}

export class PeopleRepo {
  constructor(private readonly db: Db) {}

  /** Any person row, merged or not (undo needs merged ones too). */
  get(id: number): PersonRow | null {
    const r = this.db.prepare(`${PERSON} WHERE p.id = ?`).get(id) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  /** The live (not merged) person with this name, case-insensitively. */
  byName(name: string): PersonRow | null {
    const r = this.db
      .prepare(`${PERSON} WHERE p.name = ? COLLATE NOCASE AND p.merged_into IS NULL`)
      .get(name) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  /** How many live (not merged) people there are, hidden ones included. */
  countLive(): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM people WHERE merged_into IS NULL').get() as { n: number }
    ).n;
  }

  /** Live people, by name. */
  list(includeHidden: boolean): PersonRow[] {
    const sql = `${PERSON} WHERE p.merged_into IS NULL ${includeHidden ? '' : 'AND p.hidden = 0'}
                 ORDER BY p.name COLLATE NOCASE`;
    return (this.db.prepare(sql).all() as Raw[]).map(toRow);
  }

  /**
   * Face counts per live person by assignment kind, over faces that are not deleted. Every assignment's
   * face exists (foreign key, cascade), so "not deleted" is "not among the deleted faces": the few of
   * those are read from their own index (migration 014) instead of every assigned face's row.
   */
  counts(): Map<number, PersonCounts> {
    return this.countRows(
      this.db
        .prepare(
          `SELECT a.person_id AS id, a.kind AS kind, COUNT(*) AS n FROM assignments a
           WHERE a.face_id NOT IN (SELECT id FROM faces WHERE deleted_at IS NOT NULL)
           GROUP BY a.person_id, a.kind`,
        )
        .all() as CountRow[],
    );
  }

  /** One person's counts, as counts() has them (a person's page: not every person's assignments). */
  countsOf(personId: number): PersonCounts {
    const rows = this.db
      .prepare(
        `SELECT a.person_id AS id, a.kind AS kind, COUNT(*) AS n FROM assignments a
         WHERE a.person_id = ? AND a.face_id NOT IN (SELECT id FROM faces WHERE deleted_at IS NOT NULL)
         GROUP BY a.kind`,
      )
      .all(personId) as CountRow[];
    return this.countRows(rows).get(personId) ?? { confirmed: 0, suggested: 0, auto: 0 };
  }

  private countRows(rows: CountRow[]): Map<number, PersonCounts> {
    const map = new Map<number, PersonCounts>();
    for (const r of rows) {
      let c = map.get(r.id);
      if (!c) map.set(r.id, (c = { confirmed: 0, suggested: 0, auto: 0 }));
      c[r.kind] = r.n;
    }
    return map;
  }

  create(name: string, now = Date.now()): PersonRow {
    const res = this.db
      .prepare('INSERT INTO people (name, hidden, created_at) VALUES (?, 0, ?)')
      .run(name, now);
    return this.get(Number(res.lastInsertRowid))!;
  }

  rename(id: number, name: string): void {
    this.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(name, id);
  }

  setHidden(id: number, hidden: boolean): void {
    this.db.prepare('UPDATE people SET hidden = ? WHERE id = ?').run(hidden ? 1 : 0, id);
  }

  setMergedInto(id: number, into: number | null): void {
    this.db.prepare('UPDATE people SET merged_into = ? WHERE id = ?').run(into, id);
  }

  setCover(id: number, faceId: number | null): void {
    this.db.prepare('UPDATE people SET cover_face_id = ? WHERE id = ?').run(faceId, id);
  }

  /** Writes a row exactly as it was (undo); inserts it with its old id when it is gone. */
  /**
   * A recognition run's name agreements ([Note: a name's own faces agree]): every person's is replaced, so
   * a person the run did not measure (one face, no longer live) holds none.
   */
  setAgreements(agreements: readonly (readonly [personId: number, agreement: number])[]): void {
    this.db.prepare('UPDATE people SET name_agreement = NULL WHERE name_agreement IS NOT NULL').run();
    const set = this.db.prepare('UPDATE people SET name_agreement = ? WHERE id = ?');
    for (const [id, agreement] of agreements) set.run(agreement, id);
  }

  /** The chance that the person's confirmed faces are of one person, from the last run; null: not measured. */
  agreementOf(id: number): number | null {
    const r = this.db.prepare('SELECT name_agreement FROM people WHERE id = ?').get(id) as
      { name_agreement: number | null } | undefined;
    return r?.name_agreement ?? null;
  }

  restore(row: PersonRow): void {
    this.db
      .prepare(
        `INSERT INTO people (id, name, hidden, cover_face_id, merged_into, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, hidden = excluded.hidden,
           cover_face_id = excluded.cover_face_id, merged_into = excluded.merged_into`,
      )
      .run(row.id, row.name, row.hidden ? 1 : 0, row.coverFaceId, row.mergedInto, row.createdAt);
  }

  /** Deletes a person nobody refers to any more (undo of a creation); machine assignments go with it. */
  deleteUnreferenced(id: number): boolean {
    this.db.prepare("DELETE FROM assignments WHERE person_id = ? AND kind <> 'confirmed'").run(id);
    const used = this.db
      .prepare(
        `SELECT 1 FROM assignments WHERE person_id = ? UNION ALL SELECT 1 FROM rejections WHERE person_id = ?
         UNION ALL SELECT 1 FROM people WHERE merged_into = ? LIMIT 1`,
      )
      .get(id, id, id);
    if (used) return false;
    this.db.prepare('DELETE FROM people WHERE id = ?').run(id);
    return true;
  }
}
