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

/**
 * Kept per group of a full re-group (one per face at the start: 250 000 at scale), so the containers are
 * numeric-keyed and made only when needed: a face's photo is one pair of fields until the group holds a
 * second photo, splits and rejections a map and a set only when some face has them.
 */
export class GroupConstraints {
  /** The single photo of a one-photo group (null once `photos` holds several, or while empty). */
  private photo: number | null = null;
  private photoFace = 0;
  /** Photo id → the group's face in that photo, once the group spans more than one photo. */
  private photos: Map<number, number> | null = null;
  /** Split id → side. */
  private splits: Map<number, number> | null = null;
  private rejected: Set<number> | null = null;
  person: number | null = null;

  static of(face: FaceConstraints): GroupConstraints {
    const c = new GroupConstraints();
    c.add(face);
    return c;
  }

  /** How many partition keys (photos and splits) the group holds. */
  get size(): number {
    return (this.photos ? this.photos.size : this.photo !== null ? 1 : 0) + (this.splits?.size ?? 0);
  }

  /** Adds one face's constraints (the face must not conflict; check with conflictsWithFace first). */
  add(face: FaceConstraints): void {
    this.setPhoto(face.photoId, face.faceId);
    if (face.splits.length) {
      this.splits ??= new Map();
      for (const [split, side] of face.splits) this.splits.set(split, side);
    }
    if (face.rejected.length) {
      this.rejected ??= new Set();
      for (const p of face.rejected) this.rejected.add(p);
    }
    if (face.person !== null) this.person = face.person;
  }

  conflictsWithFace(face: FaceConstraints): boolean {
    return this.conflicts(GroupConstraints.of(face));
  }

  conflicts(other: GroupConstraints): boolean {
    if (this.person !== null && other.person !== null && this.person !== other.person) return true;
    if (this.person !== null && other.rejected?.has(this.person)) return true;
    if (other.person !== null && this.rejected?.has(other.person)) return true;
    const [small, large] = this.photoCount() <= other.photoCount() ? [this, other] : [other, this];
    for (const [photo, face] of small.photoEntries()) {
      const v = large.faceIn(photo);
      if (v !== undefined && v !== face) return true;
    }
    if (this.splits && other.splits) {
      const [a, b] =
        this.splits.size <= other.splits.size ? [this.splits, other.splits] : [other.splits, this.splits];
      for (const [split, side] of a) {
        const v = b.get(split);
        if (v !== undefined && v !== side) return true;
      }
    }
    return false;
  }

  /** Absorbs another group's constraints (after a merge). */
  absorb(other: GroupConstraints): void {
    for (const [photo, face] of other.photoEntries()) this.setPhoto(photo, face);
    if (other.splits) {
      this.splits ??= new Map();
      for (const [k, v] of other.splits) this.splits.set(k, v);
    }
    if (other.rejected) {
      this.rejected ??= new Set();
      for (const p of other.rejected) this.rejected.add(p);
    }
    if (other.person !== null) this.person = other.person;
  }

  private photoCount(): number {
    return this.photos ? this.photos.size : this.photo !== null ? 1 : 0;
  }

  private faceIn(photo: number): number | undefined {
    if (this.photos) return this.photos.get(photo);
    return this.photo === photo ? this.photoFace : undefined;
  }

  private photoEntries(): Iterable<[number, number]> {
    if (this.photos) return this.photos;
    return this.photo !== null ? [[this.photo, this.photoFace]] : [];
  }

  private setPhoto(photo: number, face: number): void {
    if (this.photos) this.photos.set(photo, face);
    else if (this.photo === null || this.photo === photo) {
      this.photo = photo;
      this.photoFace = face;
    } else {
      this.photos = new Map([
        [this.photo, this.photoFace],
        [photo, face],
      ]);
      this.photo = null;
    }
  }
}
