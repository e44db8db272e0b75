/**
 * The embedder's prior for [Note: calibrated recognition] (open-set.ts), from the model manifest: it
 * belongs to the embedding model (how alike different people's faces look to *this* network), so it
 * changes with the model, as data. An embedder without one gets a deliberately humble generic prior:
 * heavy tails and a small genuine separation, so recognition offers fewer names rather than wrong ones.
 */
import { modelFor } from '../../vision/model-manifest';
import type { EmbedderPrior } from './open-set';

export const humblePrior: EmbedderPrior = {
  nu: 4,
  genuineZ: { '1': 3, '2': 3.5, '3': 4, '5': 4.5, '10': 5 },
  genuineSpread: 2,
  impostor: { location: 0.1, scale: 0.1 },
};

export function embedderPrior(): EmbedderPrior {
  return modelFor('embedder').calibration ?? humblePrior;
}
