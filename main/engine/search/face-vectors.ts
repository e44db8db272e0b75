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

/**
 * Faces per block of float vectors. [Note: float vectors in blocks] The float vectors are only read by
 * slot (re-scoring candidates) and, for a library under the exact scan's limit, scanned whole; so they are
 * kept in blocks that are added as the library grows, never copied. One contiguous array had to be
 * copied into a larger one to grow: at 250 000 faces, 512 MB alive beside its 576 MB successor. The int8
 * codes, which the native scan reads as one matrix, stay contiguous (a fifth of the size).
 */
export const FLOAT_BLOCK = 8192;

export class FaceVectors {
  private capacity = 0;
  private readonly blocks: Float32Array[] = [];
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
    this.block(slot).set(embedding, offsetIn(slot));
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
      this.block(slot).set(this.row(last), offsetIn(slot));
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
    return dot(this.block(slot), offsetIn(slot), query);
  }

  /** A copy of one face's vector. */
  vector(faceId: number): Float32Array | null {
    const slot = this.slots.get(faceId);
    return slot === undefined ? null : this.row(slot).slice();
  }

  /**
   * The live float rows as one matrix starting at byte 0 of its buffer ([Note: usearch offsets]): a view
   * of the first block while they fit in it (the exact scan's libraries), else a copy.
   */
  floatMatrix(): Float32Array {
    if (this.size <= FLOAT_BLOCK)
      return (this.blocks[0] ?? new Float32Array(0)).subarray(0, this.size * DIMENSIONS);
    const out = new Float32Array(this.size * DIMENSIONS);
    for (let slot = 0; slot < this.size; slot++) out.set(this.row(slot), slot * DIMENSIONS);
    return out;
  }

  codeMatrix(): Int8Array {
    return this.codes.subarray(0, this.size * DIMENSIONS);
  }

  /** Copies the rows of `slots` into contiguous scratch matrices (for scans of a filtered subset). */
  gather(slots: Int32Array): { floats: Float32Array; codes: Int8Array } {
    const floats = new Float32Array(slots.length * DIMENSIONS);
    const codes = new Int8Array(slots.length * DIMENSIONS);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      floats.set(this.row(slot), i * DIMENSIONS);
      codes.set(this.codes.subarray(slot * DIMENSIONS, (slot + 1) * DIMENSIONS), i * DIMENSIONS);
    }
    return { floats, codes };
  }

  /** Bytes held, for status and the bench. */
  bytes(): number {
    return this.capacity * (DIMENSIONS + 8) + this.blocks.length * FLOAT_BLOCK * DIMENSIONS * 4;
  }

  /** Makes room for `count` faces at once (loading a big catalog would otherwise copy on every growth). */
  reserve(count: number): void {
    if (count > this.capacity) this.grow(count);
  }

  private block(slot: number): Float32Array {
    return this.blocks[Math.floor(slot / FLOAT_BLOCK)]!;
  }

  private row(slot: number): Float32Array {
    const at = offsetIn(slot);
    return this.block(slot).subarray(at, at + DIMENSIONS);
  }

  /**
   * Doubles while small; beyond GROW_BY_EIGHTHS faces grows by an eighth (the codes are copied on each
   * growth; the float blocks are only added).
   */
  private grow(atLeast = 0): void {
    const step = this.capacity < GROW_BY_EIGHTHS ? this.capacity : Math.ceil(this.capacity / 8);
    const capacity = Math.max(1024, this.capacity + step, atLeast);
    const codes = new Int8Array(capacity * DIMENSIONS);
    codes.set(this.codes);
    const faceIds = new Int32Array(capacity);
    faceIds.set(this.faceIds);
    const photoIds = new Int32Array(capacity);
    photoIds.set(this.photoIds);
    [this.codes, this.faceIds, this.photoIds, this.capacity] = [codes, faceIds, photoIds, capacity];
    while (this.blocks.length * FLOAT_BLOCK < capacity)
      this.blocks.push(new Float32Array(FLOAT_BLOCK * DIMENSIONS));
  }
}

function offsetIn(slot: number): number {
  return (slot % FLOAT_BLOCK) * DIMENSIONS;
}
