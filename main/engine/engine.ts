/**
 * Composition root of the engine: opens the catalog, builds services and the contract handlers, and
 * hands out an in-process client. The Electron utility process, the web server and the CLI each call
 * openEngine() once and serve engine.handlers.
 */
import path from 'node:path';
import { EventHub, localClient } from '../api/client';
import type { Handlers, VisageApi } from '../api/contract';
import { defaultDbPath, openDatabase, visageHome } from './catalog/database';
import type { Disposable, EngineContext } from './context';
import { createHandlers, type ReceiveUpload } from './handlers';
import { JobRegistry } from './jobs/job-registry';
import type { PathTrust } from './library/path-access';

export interface Engine {
  api: VisageApi;
  handlers: Handlers;
  /** Web mode's streamed upload, with the same path rules as app.uploadImage ([Note: streamed uploads]). */
  receiveUpload: ReceiveUpload;
  hub: EventHub;
  context: EngineContext;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** Catalog file; default $VISAGE_HOME/catalog.db. */
  dbPath?: string | undefined;
  /**
   * Who names the paths requests read: 'local' (a `visage` command at the terminal, the default) or 'ui'
   * (the desktop app, web mode), which may only name uploads and library files. See
   * [Note: paths the API may touch].
   */
  pathTrust?: PathTrust;
}

export function openEngine(options: EngineOptions = {}): Engine {
  const dbPath = options.dbPath ?? defaultDbPath();
  const home = options.dbPath ? path.dirname(path.resolve(options.dbPath)) : visageHome();
  const db = openDatabase(dbPath);
  const hub = new EventHub();
  const context: EngineContext = { db, home, emit: hub.emit.bind(hub), jobs: new JobRegistry() };
  const disposables: Disposable[] = [];
  const { handlers, receiveUpload } = createHandlers(context, disposables, options.pathTrust ?? 'local');
  return {
    api: localClient(handlers, hub),
    handlers,
    receiveUpload,
    hub,
    context,
    async close() {
      for (const d of disposables.reverse()) await d.dispose();
      db.close();
    },
  };
}
