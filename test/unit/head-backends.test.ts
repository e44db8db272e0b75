/**
 * Backend choice with injected loaders: the native packages cannot install here, so their paths are
 * exercised by loaders that fail like a missing package, or that register a stand-in backend.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  chooseBackend,
  defaultLoaders,
  describeBackend,
  type BackendLoader,
  type BackendName,
} from '../../main/engine/head/train/backends';

const missing =
  (pkg: string): BackendLoader =>
  () =>
    Promise.reject(new Error(`Cannot find package '${pkg}' imported from /x/backends.ts`));

describe('backend choice', () => {
  it('falls back past missing native packages to WebAssembly and says why', async () => {
    const loaders: Record<BackendName, BackendLoader> = {
      ...defaultLoaders,
      'node-gpu': missing('@tensorflow/tfjs-node-gpu'),
      node: missing('@tensorflow/tfjs-node'),
    };
    const b = await chooseBackend(undefined, loaders);
    assert.equal(b.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.deepEqual(b.skipped, [
      { name: 'node-gpu', reason: 'package not installed' },
      { name: 'node', reason: 'package not installed' },
    ]);
    assert.equal(describeBackend(b), 'wasm (node-gpu: package not installed; node: package not installed)');
  });

  it('takes the GPU backend first when it loads', async () => {
    const loaders: Record<BackendName, BackendLoader> = {
      ...defaultLoaders,
      'node-gpu': () => {
        // Registering twice only warns; the registry keeps the first.
        if (!tf.engine().registryFactory['stand-in-gpu'])
          tf.registerBackend('stand-in-gpu', () => new MathBackendCPU());
        return Promise.resolve('stand-in-gpu');
      },
    };
    const b = await chooseBackend(undefined, loaders);
    assert.equal(b.name, 'node-gpu');
    assert.deepEqual(b.skipped, []);
    assert.equal(tf.getBackend(), 'stand-in-gpu');
  });

  it('skips a backend whose package loads but does not initialise', async () => {
    const loaders: Record<BackendName, BackendLoader> = {
      ...defaultLoaders,
      'node-gpu': () => Promise.resolve('no-such-backend'),
      node: missing('@tensorflow/tfjs-node'),
      wasm: () => Promise.reject(new Error('wasm blocked by policy')),
    };
    const b = await chooseBackend(undefined, loaders);
    assert.equal(b.name, 'cpu');
    assert.equal(b.skipped.length, 3);
    assert.match(b.skipped[0]!.reason, /no-such-backend/);
    assert.equal(b.skipped[2]!.reason, 'wasm blocked by policy');
  });

  it('a forced backend that is unavailable is an error naming the reason', async () => {
    await assert.rejects(
      chooseBackend('node', { ...defaultLoaders, node: missing('@tensorflow/tfjs-node') }),
      /Backend node is not available \(node: package not installed\)/,
    );
  });

  it('the real loaders: native packages are not installed here, wasm and cpu work', async () => {
    const b = await chooseBackend();
    assert.equal(b.name, 'wasm');
    assert.deepEqual(
      b.skipped.map((s) => s.name),
      ['node-gpu', 'node'],
    );
    assert.equal((await chooseBackend('cpu')).name, 'cpu');
  });
});
