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
