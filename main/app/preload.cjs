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
  api[name] = async (params) => {
    const result = await ipcRenderer.invoke(`visage:req:${name}`, params ?? {});
    if (result.ok) return result.value;
    const err = new Error(result.error.message);
    err.name = result.error.kind === 'user' ? 'UserError' : 'Error';
    // The message as a key and parameters, for the renderer to word ([Note: worded messages]).
    if (result.error.say) err.say = result.error.say;
    throw err;
  };
}

contextBridge.exposeInMainWorld('visage', api);
