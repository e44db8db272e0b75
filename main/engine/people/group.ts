/**
 * A group of faces during clustering. [Note: average linkage by sums] A group keeps the SUM of its
 * members' L2-normalised embeddings, so the average cosine similarity between two groups (average
 * linkage) is exactly dot(sumA, sumB) / (nA · nB), and a face's average similarity to a group is
 * dot(face, sum) / n: O(512) per comparison however large the groups grow, in batch and incremental
 * clustering alike.
 */
import { GroupConstraints, type FaceConstraints } from './constraints';
import { dot } from '../embedding-dot';
import { addInto } from './vectors';

/**
 * [Note: a group's sum, borrowed until it grows] A full re-group starts with one group per face: a sum
 * of its own for each would copy every embedding (512 MB at 250 000 faces). A group of one embedding
 * borrows that embedding as its sum (never written through) and copies it only when a second one is
 * added; a group absorbed into another gives its sum up.
 */
const NO_SUM = new Float32Array(0);

export class Group {
  private total: Float32Array = NO_SUM;
  /** Whether `total` is this group's own array (else borrowed, read-only). */
  private owned = false;
  /** How many embeddings are in sum (faces that joined without seeding are not). */
  n = 0;
  readonly members: number[] = [];
  readonly constraints = new GroupConstraints();
  alive = true;
  /** Bumped on every change, so stale candidate pairs in a heap can be recognised. */
  version = 0;

  constructor(private readonly dim: number) {}

  /** The sum of the embeddings in the group (all zeros while it has none). */
  get sum(): Float32Array {
    if (this.total === NO_SUM) this.total = new Float32Array(this.dim);
    return this.total;
  }

  get person(): number | null {
    return this.constraints.person;
  }

  /** Average cosine similarity between this group's and the other group's faces. */
  link(other: Group): number {
    if (this.n === 0 || other.n === 0) return -1;
    return dot(this.sum, other.sum) / (this.n * other.n);
  }

  /**
   * Cosine between the two groups' mean embeddings: their average similarity relative to how alike each
   * group's own faces are. Tight groups (one person photographed alike) must be closer in absolute terms
   * than loose ones (a person across ages) to count as the same person: [Note: two merge tests].
   */
  relativeLink(other: Group): number {
    const na = dot(this.sum, this.sum);
    const nb = dot(other.sum, other.sum);
    return na > 0 && nb > 0 ? dot(this.sum, other.sum) / Math.sqrt(na * nb) : -1;
  }

  /** relativeLink for one embedding (a group of one). */
  relativeLinkTo(embedding: Float32Array): number {
    const na = dot(this.sum, this.sum);
    return na > 0 ? dot(this.sum, embedding) / Math.sqrt(na) : -1;
  }

  /** Whether the two merge tests pass: [Note: two merge tests]. */
  accepts(other: Group, o: { threshold: number; relative: number }): boolean {
    return this.link(other) >= o.threshold && this.relativeLink(other) >= o.relative;
  }

  acceptsFace(embedding: Float32Array, o: { threshold: number; relative: number }): boolean {
    return this.linkTo(embedding) >= o.threshold && this.relativeLinkTo(embedding) >= o.relative;
  }

  /** Average cosine similarity of one embedding to this group's faces. */
  linkTo(embedding: Float32Array): number {
    return this.n === 0 ? -1 : dot(this.sum, embedding) / this.n;
  }

  /** Adds a face; with inSum false it joins (constraints, membership) without shaping the group. */
  add(index: number, face: FaceConstraints, embedding: Float32Array, inSum: boolean): void {
    this.members.push(index);
    this.constraints.add(face);
    if (inSum) {
      if (this.n === 0 && this.total === NO_SUM) this.total = embedding;
      else addInto(this.ownSum(), embedding);
      this.n++;
    }
    this.version++;
  }

  absorb(other: Group): void {
    for (const m of other.members) this.members.push(m);
    if (other.n > 0) addInto(this.ownSum(), other.total);
    this.n += other.n;
    other.total = NO_SUM;
    other.owned = false;
    this.constraints.absorb(other.constraints);
    other.alive = false;
    this.version++;
  }

  /** The sum as this group's own array, copied from a borrowed one first. */
  private ownSum(): Float32Array {
    if (!this.owned) {
      const own = new Float32Array(this.dim);
      if (this.total !== NO_SUM) own.set(this.total);
      this.total = own;
      this.owned = true;
    }
    return this.total;
  }
}
