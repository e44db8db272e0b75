/**
 * Registers tfjs-core's gradient functions. The modular tfjs-core ships them only as per-file ES modules
 * with extension-less imports (written for bundlers), which Node's ESM loader refuses ("Cannot find
 * module …/gradients/Abs_grad"); its Node bundle (what `@tensorflow/tfjs-core` resolves to) has none.
 * tsx's scoped require (tsx is already what runs Visage's TypeScript: bin.mjs, worker-boot.mjs) loads
 * them with CommonJS resolution, and they register into tfjs's global registry, which every copy of
 * tfjs-core shares. A bundled build resolves the same file statically instead.
 * Takes ~2 s the first time, so only training code calls it.
 */
import { getGradient } from '@tensorflow/tfjs-core';
import { require as tsxRequire } from 'tsx/cjs/api';

let loaded = false;

export function registerGradients(): void {
  if (loaded) return;
  // @tensorflow/tfjs-node brings the full @tensorflow/tfjs, which has registered them already.
  if (!(getGradient('Acos') as ReturnType<typeof getGradient> | undefined))
    tsxRequire('@tensorflow/tfjs-core/dist/register_all_gradients.js', import.meta.url);
  loaded = true;
}
