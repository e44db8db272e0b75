/**
 * The contract over Electron IPC, driven with a stand-in for ipcMain and the real preload file: one handler
 * per request name (generic, nothing hand-listed), params validated by the contract's schemas (bad ones
 * refused with the reason), untrusted senders refused, and window.visage built from the same names.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import vm from 'node:vm';
import { events, requests } from '../../main/api/contract';
import {
  CONTRACT_CHANNEL,
  EVENT_CHANNEL,
  registerContractIpc,
  requestChannel,
  trustedSender,
  type IpcMainLike,
  type SenderEvent,
} from '../../main/app/ipc-bridge';
import { isAppUrl } from '../../main/app/window-options';
import { openEngine, type Engine } from '../../main/engine/engine';
import type { WireResult } from '../../main/host/contract-bridge';
import { withOverrides } from '../../main/host/contract-bridge';
import { desktopApi, type DesktopBridge } from '../../renderer/src/lib/api/desktop-client';
import { ApiError } from '../../renderer/src/lib/api/web-client';

type Handler = (event: SenderEvent, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  readonly listeners = new Map<string, (event: SenderEvent & { returnValue: unknown }) => void>();
  handle(channel: string, listener: Handler): void {
    assert.ok(!this.handlers.has(channel), `${channel} registered twice`);
    this.handlers.set(channel, listener);
  }
  on(channel: string, listener: (event: SenderEvent & { returnValue: unknown }) => void): void {
    this.listeners.set(channel, listener);
  }
}

const WINDOW_ID = 7;
const fromApp: SenderEvent = {
  sender: { id: WINDOW_ID },
  senderFrame: { url: 'visage://app/index.html', parent: null },
};

describe('contract over IPC', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'visage-ipc-'));
  let engine: Engine;
  const ipc = new FakeIpcMain();

  before(() => {
    engine = openEngine({ dbPath: path.join(dir, 'catalog.db') });
    registerContractIpc(
      ipc,
      engine.api,
      trustedSender(() => WINDOW_ID, isAppUrl),
    );
  });

  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = (name: string, params: unknown, event: SenderEvent = fromApp) => {
    const handler = ipc.handlers.get(requestChannel(name));
    assert.ok(handler, `no handler for ${name}`);
    return handler(event, params) as Promise<WireResult>;
  };

  it('registers exactly one handler per contract request, from the contract map', () => {
    assert.deepEqual([...ipc.handlers.keys()].sort(), Object.keys(requests).map(requestChannel).sort());
  });

  it('validates params with the contract schema and reports the reason', async () => {
    const bad = await invoke('library.photos', { offset: -5 });
    assert.ok(!bad.ok);
    assert.equal(bad.error.kind, 'user');
    assert.match(bad.error.message, /offset/);
    const wrongType = await invoke('library.addFolder', { path: 42 });
    assert.ok(!wrongType.ok && wrongType.error.kind === 'user');
    const extra = await invoke('library.status', { unexpected: true });
    assert.ok(!extra.ok && extra.error.kind === 'user', 'strict schemas refuse unknown keys');
    const good = await invoke('library.photos', { offset: 0, limit: 10 });
    assert.ok(good.ok);
    assert.deepEqual(good.value, { total: 0, items: [] });
  });

  it('turns a UserError into a user error, not a crash', async () => {
    const res = await invoke('library.addFolder', { path: path.join(dir, 'nope') });
    assert.ok(!res.ok && res.error.kind === 'user' && /not found/i.test(res.error.message));
  });

  it('refuses other windows, sub-frames and foreign pages', async () => {
    const others: SenderEvent[] = [
      { sender: { id: 99 }, senderFrame: fromApp.senderFrame },
      { sender: { id: WINDOW_ID }, senderFrame: { url: 'visage://app/index.html', parent: {} } },
      { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: WINDOW_ID }, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: { id: WINDOW_ID }, senderFrame: null },
    ];
    for (const event of others) {
      const res = await invoke('library.status', {}, event);
      assert.ok(!res.ok && /unknown sender/.test(res.error.message), JSON.stringify(event));
      const sync = { ...event, returnValue: undefined as unknown };
      ipc.listeners.get(CONTRACT_CHANNEL)!(sync);
      assert.equal(sync.returnValue, null);
    }
  });

  it('the preload builds window.visage from the names main sends', async () => {
    const contract = { ...fromApp, returnValue: undefined as unknown };
    ipc.listeners.get(CONTRACT_CHANNEL)!(contract);
    const exposed: Record<string, unknown> = {};
    let onEvent: ((e: unknown, name: string, payload: unknown) => void) | undefined;
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => {
          exposed[key] = value;
        },
      },
      ipcRenderer: {
        sendSync: (channel: string) => (channel === CONTRACT_CHANNEL ? contract.returnValue : null),
        invoke: (channel: string, params: unknown) => {
          const name = channel.replace('visage:req:', '');
          return invoke(name, params);
        },
        on: (channel: string, fn: (e: unknown, name: string, payload: unknown) => void) => {
          if (channel === EVENT_CHANNEL) onEvent = fn;
        },
      },
    };
    const source = readFileSync(path.resolve(import.meta.dirname, '../../main/app/preload.cjs'), 'utf8');
    vm.runInNewContext(source, {
      require: (id: string) => {
        assert.equal(id, 'electron', 'a sandboxed preload may only require electron');
        return electron;
      },
    });
    const visage = exposed.visage as Record<string, (p?: unknown) => Promise<WireResult>> & {
      on: (e: string, l: (p: unknown) => void) => () => void;
    };
    assert.deepEqual(
      Object.keys(visage)
        .filter((k) => k !== 'on')
        .sort(),
      Object.keys(requests).sort(),
    );
    assert.deepEqual(await visage['library.photos']!({ offset: 0, limit: 5 }), {
      ok: true,
      value: { total: 0, items: [] },
    });
    // The preload hands errors over as wire results; the renderer's client rebuilds the same ApiError web
    // mode throws, code and message key included (one error shape on every transport).
    const bad = await visage['library.photos']!({ offset: -1 });
    assert.ok(!bad.ok, 'a bad request resolves an error result');
    assert.match(bad.error.message, /offset/);
    const client = desktopApi(visage as unknown as DesktopBridge);
    assert.deepEqual(await client['library.photos']({ offset: 0, limit: 5 }), { total: 0, items: [] });
    await assert.rejects(client['people.get']({ person: 'Nobody at all' }), (err: unknown) => {
      assert.ok(err instanceof ApiError, 'an ApiError, as in web mode');
      assert.equal(err.status, 400);
      assert.equal(err.code, 'not_found');
      return true;
    });
    const seen: unknown[] = [];
    const off = visage.on('jobs.progress', (p) => seen.push(p));
    onEvent?.({}, 'jobs.progress', { done: 1 });
    off();
    onEvent?.({}, 'jobs.progress', { done: 2 });
    assert.deepEqual(seen, [{ done: 1 }]);
    assert.throws(() => visage.on('no.such.event', () => undefined), /Unknown event/);
    assert.ok(Object.keys(events).includes('jobs.progress'));
  });

  it('host overrides are validated like engine handlers', async () => {
    let called = 0;
    const api = withOverrides(engine.api, {
      'app.pickFolder': () => {
        called++;
        return { path: '/picked' };
      },
      // A reply that breaks the contract must not reach the renderer.
      'app.info': () => ({ shell: 'electron', version: 1 }) as never,
    });
    assert.deepEqual(await api['app.pickFolder']({}), { path: '/picked' });
    await assert.rejects(api['app.pickFolder']({ extra: 1 } as never));
    assert.equal(called, 1, 'bad params never reach the override');
    await assert.rejects(api['app.info']({}));
    assert.equal((await api['library.status']({})).photos.total, 0, 'other requests go to the engine');
  });
});
