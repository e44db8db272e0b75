/**
 * The contract over Electron IPC, generic over the request map: one ipcMain.handle per request name in a
 * loop, each checking the sender and validating params (callByName → the contract's zod schemas), and one
 * channel carrying every event to the window. The preload builds window.visage from the names sent on
 * CONTRACT_CHANNEL, so a request added to the contract reaches the renderer with no edit here or there.
 * Types only from 'electron', so tests drive it with a plain object in place of ipcMain.
 */
import type { VisageApi } from '../api/contract';
import {
  callByName,
  eventNames,
  forwardEvents,
  requestNames,
  type WireResult,
} from '../host/contract-bridge';

export const CONTRACT_CHANNEL = 'visage:contract';
export const EVENT_CHANNEL = 'visage:event';
export const requestChannel = (name: string): string => `visage:req:${name}`;

export interface SenderEvent {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  on(
    channel: string,
    listener: (event: SenderEvent & { returnValue: unknown }, ...args: unknown[]) => void,
  ): void;
}

/** What the preload needs to build window.visage. */
export interface ContractNames {
  requests: string[];
  events: string[];
}

const refused: WireResult = { ok: false, error: { message: 'Refused: unknown sender', kind: 'user' } };

export function registerContractIpc(
  ipc: IpcMainLike,
  api: VisageApi,
  trusted: (event: SenderEvent) => boolean,
): ContractNames {
  const names: ContractNames = { requests: [...requestNames], events: [...eventNames] };
  ipc.on(CONTRACT_CHANNEL, (event) => {
    event.returnValue = trusted(event) ? names : null;
  });
  for (const name of requestNames) {
    ipc.handle(requestChannel(name), async (event, params) => {
      if (!trusted(event)) return refused;
      return callByName(api, name, params);
    });
  }
  return names;
}

export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Sends every contract event to `target` (the window's webContents) until the returned function runs. */
export function forwardEventsTo(target: EventTarget, api: VisageApi): () => void {
  return forwardEvents(api, (event, payload) => {
    if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event, payload);
  });
}

/** The sender check: the top frame of our window, showing one of our own pages. */
export function trustedSender(windowContentsId: () => number | null, isAppUrl: (url: string) => boolean) {
  return (event: SenderEvent): boolean =>
    event.sender.id === windowContentsId() &&
    event.senderFrame !== null &&
    event.senderFrame.parent === null &&
    isAppUrl(event.senderFrame.url);
}
