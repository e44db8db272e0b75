/**
 * A synthetic world for the open-set recognition tests: an embedder prior like the real one's shape, and
 * random unit identities with faces around them at a chosen cosine (64 dimensions, seeded).
 */
import type { EmbedderPrior } from '../../main/engine/head/recognise/open-set';
import { normaliseInPlace, rng } from '../../main/engine/head/vector-math';

export const D = 64;

export const prior: EmbedderPrior = {
  nu: 8,
  genuineZ: { '1': 4.6, '2': 5, '3': 5.2, '5': 5.4, '10': 5.6 },
  genuineSpread: 1.7,
  impostor: { location: 0.05, scale: 0.1 },
};

/** Random unit vectors, and vectors with cosine ≈ `spread` to a given centre. */
export function world(seed: number) {
  const random = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const unit = () => normaliseInPlace(Float32Array.from({ length: D }, gauss));
  const around = (c: Float32Array, spread: number) => {
    const n = unit();
    return normaliseInPlace(Float32Array.from(c, (v, k) => spread * v + Math.sqrt(1 - spread ** 2) * n[k]!));
  };
  return { unit, around };
}
