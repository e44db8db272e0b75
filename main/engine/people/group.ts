/**
 * A group of faces during clustering. [Note: average linkage by sums] A group keeps the SUM of its
 * members' L2-normalised embeddings, so the average cosine similarity between two groups (average
 * linkage) is exactly dot(sumA, sumB) / (nA · nB), and a face's average similarity to a group is
 * dot(face, sum) / n: O(512) per comparison however large the groups grow, in batch and incremental
 * clustering alike.
 */
import { GroupConstraints, type FaceConstraints } from './constraints';
import { addInto, dot } from './vectors';

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
