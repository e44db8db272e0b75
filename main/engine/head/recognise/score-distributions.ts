/**
 * The two score distributions behind every name Visage offers (see [Note: calibrated recognition] in
 * open-set.ts): how a face of the person scores against that person's prototype (genuine), and how a
 * face of anybody else does (impostor). Both are Student-t: a bell in the middle with polynomial tails,
 * because real impostor scores have heavy tails (look-alikes, relatives, children, blurred faces) and a
 * Gaussian tail would call a stranger's lucky high score "certain". The tail weight ν and the typical
 * genuine/impostor separation come from the embedder's prior, measured on the shared face sets and kept
 * in the model manifest (resources/models.json, `calibration`); location and scale come from the library.
 */

export interface TDist {
  mu: number;
  sigma: number;
  nu: number;
}

/** log density of a Student-t up to a constant that depends only on ν (it cancels in every ratio we take). */
export function logT(x: number, d: TDist): number {
  const z = (x - d.mu) / d.sigma;
  return -Math.log(d.sigma) - ((d.nu + 1) / 2) * Math.log1p((z * z) / d.nu);
}

/** log of genuine density / impostor density at score x (both must share ν for the constants to cancel). */
export function logLikelihoodRatio(x: number, genuine: TDist, impostor: TDist): number {
  return logT(x, genuine) - logT(x, impostor);
}

/** Median of the values (they are copied, not reordered). NaN for none. */
export function median(values: ArrayLike<number>): number {
  const v = Float64Array.from(values).sort();
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Robust location and scale: median and 1.4826 × median absolute deviation (the σ of a normal bulk). */
export function robustLocationScale(values: ArrayLike<number>): { location: number; scale: number } {
  const location = median(values);
  const dev = Float64Array.from(values, (x) => Math.abs(x - location));
  return { location, scale: 1.4826 * median(dev) };
}

export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/**
 * Shrinks a sample mean towards a prior mean with `priorWeight` pseudo-observations: with two labelled
 * faces the prior dominates, with fifty the library does. The usual normal–normal posterior mean.
 */
export function shrink(sampleMean: number, n: number, priorMean: number, priorWeight: number): number {
  if (n === 0 || !Number.isFinite(sampleMean)) return priorMean;
  return (n * sampleMean + priorWeight * priorMean) / (n + priorWeight);
}
