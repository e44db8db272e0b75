/**
 * Every live face's embedding in one contiguous Float32Array (plus an int8 copy for the quantised
 * pre-filter), so a scan reads memory front to back. Slots are dense: removing a face moves the last one
 * into its slot. Face ids, not slots, are what leaves this module.
 */

export const DIMENSIONS = 512;

/**
 * [Note: int8 codes] Codes are round(clamp(x · 8, −1, 1) · 127). Components of a unit 512-d vector have a
 * standard deviation of about 1/√512 ≈ 0.044, so the ×8 scale clamps only beyond ≈ 2.8σ while keeping
 * a one-code step of 0.001. One global scale keeps int8 dot products comparable across faces; the
 * candidates are always re-scored with the float vectors, so codes only decide who gets re-scored.
 */
const CODE_SCALE = 8 * 127;

export function quantise(v: Float32Array, out: Int8Array, offset = 0): void {
  for (let k = 0; k < DIMENSIONS; k++) {
    const x = Math.round(v[k]! * CODE_SCALE);
    out[offset + k] = x > 127 ? 127 : x < -127 ? -127 : x;
  }
}

export function dot(a: Float32Array, aOffset: number, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < DIMENSIONS; k += 4) {
    s0 += a[aOffset + k]! * b[k]!;
    s1 += a[aOffset + k + 1]! * b[k + 1]!;
    s2 += a[aOffset + k + 2]! * b[k + 2]!;
    s3 += a[aOffset + k + 3]! * b[k + 3]!;
  }
  return s0 + s1 + s2 + s3;
}

/** Checks an embedding's shape and values; returns an L2-normalised copy. */
export function normalisedEmbedding(v: ArrayLike<number>): Float32Array {
  if (v.length !== DIMENSIONS)
    throw new RangeError(`An embedding has ${DIMENSIONS} numbers; this one has ${v.length}`);
  const out = Float32Array.from(v);
  let sum = 0;
  for (const x of out) {
    if (!Number.isFinite(x)) throw new RangeError('An embedding must contain only finite numbers');
    sum += x * x;
  }
  if (sum === 0) throw new RangeError('An embedding must not be all zeros');
  const inv = 1 / Math.sqrt(sum);
  for (let k = 0; k < DIMENSIONS; k++) out[k]! *= inv;
  return out;
}

/** Capacity (faces) from which the arrays grow by an eighth instead of doubling. */
export const GROW_BY_EIGHTHS = 65_536;

export class FaceVectors {
  private capacity = 0;
  private floats = new Float32Array(0);
  private codes = new Int8Array(0);
  private faceIds = new Int32Array(0);
  private photoIds = new Int32Array(0);
  private readonly slots = new Map<number, number>();
  size = 0;

  /** Adds a face, or replaces its vector and photo when it is already here. */
  upsert(faceId: number, photoId: number, embedding: Float32Array): void {
    if (embedding.length !== DIMENSIONS)
      throw new RangeError(
        `Face ${faceId}: embedding has ${embedding.length} numbers, expected ${DIMENSIONS}`,
      );
    let slot = this.slots.get(faceId);
    if (slot === undefined) {
      if (this.size === this.capacity) this.grow();
      slot = this.size++;
      this.slots.set(faceId, slot);
      this.faceIds[slot] = faceId;
    }
    this.photoIds[slot] = photoId;
    this.floats.set(embedding, slot * DIMENSIONS);
    quantise(embedding, this.codes, slot * DIMENSIONS);
  }

  remove(faceId: number): boolean {
    const slot = this.slots.get(faceId);
    if (slot === undefined) return false;
    const last = --this.size;
    this.slots.delete(faceId);
    if (slot !== last) {
      const moved = this.faceIds[last]!;
      this.faceIds[slot] = moved;
      this.photoIds[slot] = this.photoIds[last]!;
      this.floats.copyWithin(slot * DIMENSIONS, last * DIMENSIONS, (last + 1) * DIMENSIONS);
      this.codes.copyWithin(slot * DIMENSIONS, last * DIMENSIONS, (last + 1) * DIMENSIONS);
      this.slots.set(moved, slot);
    }
    return true;
  }

  has(faceId: number): boolean {
    return this.slots.has(faceId);
  }

  slotOf(faceId: number): number | undefined {
    return this.slots.get(faceId);
  }

  faceAt(slot: number): number {
    return this.faceIds[slot]!;
  }

  photoAt(slot: number): number {
    return this.photoIds[slot]!;
  }

  /** Cosine similarity (dot product of unit vectors) of the face in `slot` with `query`. */
  score(slot: number, query: Float32Array): number {
    return dot(this.floats, slot * DIMENSIONS, query);
  }

  /** A copy of one face's vector. */
  vector(faceId: number): Float32Array | null {
    const slot = this.slots.get(faceId);
    return slot === undefined ? null : this.floats.slice(slot * DIMENSIONS, (slot + 1) * DIMENSIONS);
  }

  /** The live float rows as one matrix view (starts at byte 0 of its buffer; see [Note: usearch offsets]). */
  floatMatrix(): Float32Array {
    return this.floats.subarray(0, this.size * DIMENSIONS);
  }

  codeMatrix(): Int8Array {
    return this.codes.subarray(0, this.size * DIMENSIONS);
  }

  /** Copies the rows of `slots` into contiguous scratch matrices (for scans of a filtered subset). */
  gather(slots: Int32Array): { floats: Float32Array; codes: Int8Array } {
    const floats = new Float32Array(slots.length * DIMENSIONS);
    const codes = new Int8Array(slots.length * DIMENSIONS);
    for (let i = 0; i < slots.length; i++) {
      const from = slots[i]! * DIMENSIONS;
      floats.set(this.floats.subarray(from, from + DIMENSIONS), i * DIMENSIONS);
      codes.set(this.codes.subarray(from, from + DIMENSIONS), i * DIMENSIONS);
    }
    return { floats, codes };
  }

  /** Bytes held, for status and the bench. */
  bytes(): number {
    return this.capacity * (DIMENSIONS * 5 + 8);
  }

  /** Makes room for `count` faces at once (loading a big catalog would otherwise copy on every doubling). */
  reserve(count: number): void {
    if (count > this.capacity) this.grow(count);
  }

  /**
   * Doubles while small; beyond GROW_BY_EIGHTHS faces grows by an eighth, since at 250 000 faces the
   * arrays hold 640 MB and one new face after a load must not make that 1.3 GB.
   */
  private grow(atLeast = 0): void {
    const step = this.capacity < GROW_BY_EIGHTHS ? this.capacity : Math.ceil(this.capacity / 8);
    const capacity = Math.max(1024, this.capacity + step, atLeast);
    const floats = new Float32Array(capacity * DIMENSIONS);
    floats.set(this.floats);
    const codes = new Int8Array(capacity * DIMENSIONS);
    codes.set(this.codes);
    const faceIds = new Int32Array(capacity);
    faceIds.set(this.faceIds);
    const photoIds = new Int32Array(capacity);
    photoIds.set(this.photoIds);
    [this.floats, this.codes, this.faceIds, this.photoIds, this.capacity] = [
      floats,
      codes,
      faceIds,
      photoIds,
      capacity,
    ];
  }
}
