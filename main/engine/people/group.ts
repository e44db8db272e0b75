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

export class Group {
  readonly sum: Float32Array;
  /** How many embeddings are in sum (faces that joined without seeding are not). */
  n = 0;
  readonly members: number[] = [];
  readonly constraints = new GroupConstraints();
  alive = true;
  /** Bumped on every change, so stale candidate pairs in a heap can be recognised. */
  version = 0;

  constructor(dim: number) {
    this.sum = new Float32Array(dim);
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
      addInto(this.sum, embedding);
      this.n++;
    }
    this.version++;
  }

  absorb(other: Group): void {
    for (const m of other.members) this.members.push(m);
    addInto(this.sum, other.sum);
    this.n += other.n;
    this.constraints.absorb(other.constraints);
    other.alive = false;
    this.version++;
  }
}
