// Preload of the sandboxed window. It builds window.visage from the contract's request and event names,
// which the main process sends (main/app/ipc-bridge.ts), so no request is hand-listed here. A sandboxed
// preload must be one CommonJS file that requires only 'electron', hence plain JavaScript.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a sandboxed preload can only require('electron') */
const { contextBridge, ipcRenderer } = require('electron');

const names = ipcRenderer.sendSync('visage:contract');
if (!names) throw new Error('Visage: the main process refused this page.');

const listeners = new Map();
ipcRenderer.on('visage:event', (_event, name, payload) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api = {
  on(event, listener) {
    if (!names.events.includes(event)) throw new Error(`Unknown event "${event}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    // Wrap so the renderer's function identity is ours to delete, and nothing of ipcRenderer leaks.
    const wrapped = (payload) => listener(payload);
    set.add(wrapped);
    return () => set.delete(wrapped);
  },
};
for (const name of names.requests) {
  // Resolves the wire result itself ({ ok, value } or { ok: false, error }): an Error thrown across the
  // context bridge keeps only its message (electron/electron#25596), so the renderer's client
  // (renderer/src/lib/api/desktop-client.ts) rebuilds the error with its code and message key.
  api[name] = (params) => ipcRenderer.invoke(`visage:req:${name}`, params ?? {});
}

contextBridge.exposeInMainWorld('visage', api);
