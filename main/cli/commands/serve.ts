/**
 * `visage serve [--port N] [--host 127.0.0.1]`: web mode. Serves the built UI and the contract to a browser
 * and prints the address with its token; runs until interrupted. Builds the UI first when it is missing
 * (a fresh clone), so `npm run serve` works straight after `npm install`.
 */
import path from 'node:path';
import { appRoot } from '../../engine/app-root';
import { startServer } from '../../server/server';
import { catalogToken, tokenFile } from '../../server/token-store';
import { withOverrides } from '../../host/contract-bridge';
import { rendererBuilt, rendererDist } from '../../host/static-files';
import { ExitCode, type CliCommand, type CliIo } from '../command';

const DEFAULT_PORT = 7420;

async function buildRenderer(io: CliIo): Promise<void> {
  io.err('visage serve: the UI is not built yet; building it (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(appRoot(), 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the app to a web browser (web mode) on this machine',
  usage: 'visage [--db PATH] serve [--port N] [--host 127.0.0.1] [--rotate-token]',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'rotate-token': { type: 'boolean' } },
  async run({ api, engine, receiveUpload, values, io }) {
    const portText = values.port as string | undefined;
    const port = portText === undefined ? DEFAULT_PORT : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`visage serve: --port must be a number from 0 to 65535, got "${portText ?? ''}"`);
      return ExitCode.usage;
    }
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    if (!rendererBuilt()) await buildRenderer(io);
    const webApi = withOverrides(api, {
      'app.info': async () => ({ ...(await api['app.info']({})), shell: 'web' as const }),
    });
    // One token per catalog, kept across restarts so open tabs and bookmarks keep working.
    const rotate = values['rotate-token'] === true;
    const { token, created } = catalogToken(engine.db.name, rotate);
    if (rotate) io.err('visage serve: a new token was made; addresses with the old one no longer work.');
    else if (created) io.err(`visage serve: made an access token, kept in ${tokenFile(engine.db.name)}.`);
    const options = {
      api: webApi,
      home: engine.home,
      host,
      token,
      dist: rendererDist(),
      log: io.err,
      receiveUpload,
    };
    let server;
    try {
      server = await startServer({ ...options, port });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || portText !== undefined) throw err;
      // The default port is taken (another Visage?): any free port will do, the URL says which.
      server = await startServer({ ...options, port: 0 });
    }
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
      io.err(`visage serve: listening on ${host}; anyone who can reach it still needs the token.`);
    }
    io.out(`Visage is running at ${server.url}`);
    io.out('Open that address in a browser. Press Ctrl+C to stop.');
    const signal = await waitForSignal();
    io.err(`visage serve: ${signal}, stopping.`);
    await server.close();
    return ExitCode.ok;
  },
};
