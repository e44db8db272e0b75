/**
 * Cannot-link constraints between groups of faces. [Note: clustering constraints] Every constraint the
 * issue asks for reduces to one rule: two groups may only merge when nothing in them says they are
 * different people.
 * - Same photo: every face carries the partition key `p<photoId>` with its own face id as the value; two
 *   groups holding the same key with different values would put two faces of one photo together.
 * - A user's split of a group: key `s<splitId>`, value = the side; the two sides never meet again.
 * - Confirmed faces anchor their person: a group holds at most one person.
 * - Rejection ("not this person"): a group holding a face rejected from P never joins P's group.
 * Merging is the union of both groups' keys, persons and rejections, so the rule keeps holding as groups
 * grow, in batch and incremental clustering alike.
 */

export interface FaceConstraints {
  photoId: number;
  faceId: number;
  /** Confirmed person of the face, if any (an anchor). */
  person: number | null;
  /** People this face was rejected from. */
  rejected: readonly number[];
  /** User splits this face took part in: split id → side. */
  splits: readonly (readonly [number, number])[];
}

export class GroupConstraints {
  private readonly keys = new Map<string, number>();
  private readonly rejected = new Set<number>();
  person: number | null = null;

  static of(face: FaceConstraints): GroupConstraints {
    const c = new GroupConstraints();
    c.add(face);
    return c;
  }

  get size(): number {
    return this.keys.size;
  }

  /** Adds one face's constraints (the face must not conflict; check with conflictsWithFace first). */
  add(face: FaceConstraints): void {
    this.keys.set(`p${face.photoId}`, face.faceId);
    for (const [split, side] of face.splits) this.keys.set(`s${split}`, side);
    for (const p of face.rejected) this.rejected.add(p);
    if (face.person !== null) this.person = face.person;
  }

  conflictsWithFace(face: FaceConstraints): boolean {
    return this.conflicts(GroupConstraints.of(face));
  }

  conflicts(other: GroupConstraints): boolean {
    if (this.person !== null && other.person !== null && this.person !== other.person) return true;
    if (this.person !== null && other.rejected.has(this.person)) return true;
    if (other.person !== null && this.rejected.has(other.person)) return true;
    const [small, large] = this.keys.size <= other.keys.size ? [this, other] : [other, this];
    for (const [key, value] of small.keys) {
      const v = large.keys.get(key);
      if (v !== undefined && v !== value) return true;
    }
    return false;
  }

  /** Absorbs another group's constraints (after a merge). */
  absorb(other: GroupConstraints): void {
    for (const [k, v] of other.keys) this.keys.set(k, v);
    for (const p of other.rejected) this.rejected.add(p);
    if (other.person !== null) this.person = other.person;
  }
}
