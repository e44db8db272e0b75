/**
 * The few in-place vector operations clustering needs on Float32Array embeddings (the dot product is
 * ../embedding-dot.ts). Kept tight because clustering runs them millions of times.
 */

/** target += v (in place). */
export function addInto(target: Float32Array, v: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! += v[i]!;
}

/** target -= v (in place). */
export function subtractFrom(target: Float32Array, v: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! -= v[i]!;
}
