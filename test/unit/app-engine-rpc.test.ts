/**
 * The main ⇄ utility-process RPC over a real MessagePort pair (the transport utilityProcess provides in the
 * app), serving a real engine: replies, validation errors as UserError, engine failures as Error, events
 * forwarded, and pending calls failed when the engine dies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { UserError } from '../../main/api/contract';
import { rpcClient, serveRpc, type RpcClient, type RpcPort } from '../../main/app/engine-rpc';
import { openEngine, type Engine } from '../../main/engine/engine';

const portOf = (p: MessagePort): RpcPort => ({
  postMessage: (m) => {
    p.postMessage(m);
  },
  onMessage: (l) => {
    p.on('message', l);
  },
});

describe('engine RPC', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-rpc-'));
  const channel = new MessageChannel();
  let engine: Engine;
  let client: RpcClient;

  before(() => {
    engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
    client = rpcClient(portOf(channel.port1));
    serveRpc(portOf(channel.port2), engine.api, { home: engine.context.home });
  });

  after(async () => {
    channel.port1.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says ready with the engine home', async () => {
    assert.deepEqual(await client.ready, { home: dir });
  });

  it('answers requests by name', async () => {
    const status = await client.api['library.status']({});
    assert.equal(status.folders, 0);
    assert.deepEqual(await client.api['library.folders']({}), []);
  });

  it('bad params and user errors arrive as UserError with the reason', async () => {
    await assert.rejects(client.api['library.photos']({ limit: 0 }), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /limit/);
      return true;
    });
    await assert.rejects(
      client.api['library.addFolder']({ path: path.join(dir, 'missing') }),
      (err: unknown) => {
        assert.ok(err instanceof UserError);
        assert.equal(err.code, 'not_found');
        return true;
      },
    );
  });

  it('forwards engine events', async () => {
    const got = new Promise<unknown>((resolve) => {
      const off = client.api.on('jobs.progress', (p) => {
        off();
        resolve(p);
      });
    });
    const p = {
      job: 'train' as const,
      phase: 'epoch 1',
      state: 'running' as const,
      done: 1,
      total: 10,
      etaMs: 900,
      current: null,
      errors: 0,
      message: null,
      say: null,
    };
    engine.hub.emit('jobs.progress', p);
    assert.deepEqual(await got, p);
  });

  it('fails pending calls when the engine goes away', async () => {
    const silent = new MessageChannel();
    const orphan = rpcClient(portOf(silent.port1));
    const call = orphan.api['library.status']({});
    orphan.failAll('The engine stopped (exit code 1).');
    await assert.rejects(call, /engine stopped/);
    silent.port1.close();
  });
});
