/**
 * The engine inside Electron's utilityProcess: indexing, embedding and training run here, never on the
 * main process that drives the window. It opens the catalog once and serves the contract over the parent
 * port (engine-rpc.ts). Plain Node: no 'electron' import is needed in a utility process.
 */
import { openEngine } from '../engine/engine';
import { serveRpc, type RpcPort } from './engine-rpc';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('engine-process must run in an Electron utility process');

// The renderer names paths for the engine: the same rules as web mode. [Note: paths the API may touch]
const engine = openEngine({ dbPath: process.env.VISAGE_DB, pathTrust: 'ui' });
const port: RpcPort = {
  postMessage: (m) => {
    parentPort.postMessage(m);
  },
  onMessage: (listener) => {
    parentPort.on('message', (e) => {
      listener(e.data);
    });
  },
};
const stop = serveRpc(port, engine.api, { home: engine.context.home });

async function shutdown(): Promise<void> {
  stop();
  await engine.close();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown());
// The main process asks for a clean stop (close the catalog, let workers finish their photo) on quit.
parentPort.on('message', (e) => {
  if ((e.data as { type?: string } | null)?.type === 'shutdown') void shutdown();
});
