/**
 * The few vector operations clustering needs, on L2-normalised Float32Array embeddings. Kept tight (no
 * allocation in dot) because clustering runs them millions of times.
 */

export function dot(a: Float32Array, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length - (a.length % 4);
  let i = 0;
  for (; i < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < a.length; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}

/** target += v (in place). */
export function addInto(target: Float32Array, v: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! += v[i]!;
}

/** target -= v (in place). */
export function subtractFrom(target: Float32Array, v: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i]! -= v[i]!;
}
