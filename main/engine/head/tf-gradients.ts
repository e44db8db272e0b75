/**
 * Registers tfjs-core's gradient functions. The modular tfjs-core ships them only as per-file ES modules
 * with extension-less imports (written for bundlers), which Node's ESM loader refuses; its Node bundle
 * (what `@tensorflow/tfjs-core` resolves to) has none. Loaded through `require` under tsx they resolve
 * like CommonJS and register into tfjs's global registry, which every copy of tfjs-core shares.
 * Takes ~2 s the first time, so only the training worker and tests load it.
 */
import { createRequire } from 'node:module';

let loaded = false;

export function registerGradients(): void {
  if (loaded) return;
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  loaded = true;
}
