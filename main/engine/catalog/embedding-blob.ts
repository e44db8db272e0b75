/**
 * The one codec between an embedding and its BLOB column: little-endian float32, as written by
 * Float32Array on every platform Visage runs on.
 */

export function embeddingToBlob(e: Float32Array): Buffer {
  return Buffer.from(e.buffer, e.byteOffset, e.byteLength);
}

export function blobToEmbedding(b: Buffer | Uint8Array): Float32Array {
  // Copy: better-sqlite3 may hand out views into a pooled, shared ArrayBuffer at an unaligned offset.
  const out = new Float32Array(b.byteLength >> 2);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/**
 * [Note: embeddings read into one matrix] Bulk reads (a full re-group, recognition, training read every
 * face) decode embeddings into one contiguous Float32Array and hand out row views into it, instead of a
 * 2 KB allocation per face: at 250 000 faces the per-row copies cost 512 MB on top of the rows the
 * driver had already returned, and as hundreds of thousands of small heap blocks they stayed in the
 * thread's malloc arena after the read (measured: +1.4 GB held by a re-group's read against +0.6 GB
 * packed). Callers size the pack with a count of the rows they read; a row beyond it, or of another
 * width, gets its own copy, so a count that drifted (a write between the count and the read) only costs
 * memory, never a wrong vector.
 */
export class EmbeddingPack {
  private readonly matrix: Float32Array;
  private readonly bytes: Uint8Array;
  private used = 0;

  constructor(
    private readonly rows: number,
    private readonly dim = 512,
  ) {
    this.matrix = new Float32Array(rows * dim);
    this.bytes = new Uint8Array(this.matrix.buffer);
  }

  /** The decoded embedding: a view into the pack while it has room for a row of its width. */
  add(b: Buffer | Uint8Array): Float32Array {
    if (this.used >= this.rows || b.byteLength !== this.dim * 4) return blobToEmbedding(b);
    const at = this.used++ * this.dim;
    this.bytes.set(b, at * 4);
    return this.matrix.subarray(at, at + this.dim);
  }
}
