/**
 * The desktop app's main process: one secure window (window-options.ts), the engine in a utilityProcess
 * (engine-process.ts) reached over a typed RPC, the contract registered on IPC generically
 * (ipc-bridge.ts), the visage:// protocol for the UI and images (image-protocol.ts), a single-instance
 * lock (a second launch focuses this window), remembered window state, a menu with shortcuts, and each
 * OS's folders for settings and logs (locations.ts). The only module tree that imports 'electron'.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
  type UtilityProcess,
} from 'electron';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEvents } from '../api/app';
import type { EventPayload, VisageApi } from '../api/contract';
import { withOverrides } from '../host/contract-bridge';
import { rendererDist } from '../host/static-files';
import { rpcClient } from './engine-rpc';
import { desktopHandlers } from './host-handlers';
import { visageProtocolHandler } from './image-protocol';
import { EVENT_CHANNEL, forwardEventsTo, registerContractIpc, trustedSender } from './ipc-bridge';
import { desktopLocations } from './locations';
import { openLogFile, type LogFile } from './log-file';
import { menuTemplate } from './menu';
import { undoInPage } from './page-undo';
import { APP_SCHEME, APP_URL, isAppUrl, windowOptions } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
// Built (dist/app/main.js, [Note: packaged layout]) the engine is a bundle beside this one; from the sources
// (npm start) it is the bootstrap that runs engine-process.ts through tsx.
const engineEntry = path.join(
  here,
  import.meta.url.endsWith('.ts') ? 'engine-process.mjs' : 'engine-process.js',
);

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

// Packaged, models and the manifest are extra resources next to app.asar (see electron.config.ts).
if (app.isPackaged) process.env.VISAGE_RESOURCES ??= process.resourcesPath;

// One name in development and packaged, so both use the same folders; set before anything reads them
// (the single-instance lock lives in userData).
app.setName('Visage');
const locations = desktopLocations(process.platform, process.env, os.homedir());
app.setPath('userData', locations.userData);
app.setAppLogsPath(locations.logs);
const mainLog = openLogFile(locations.logs, 'main.log');
const engineLog = openLogFile(locations.logs, 'engine.log');
mainLog.write(
  `Visage ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform})`,
);

/** Copies a child's output to its log file, and to the terminal when there is one (npm start). */
function tee(stream: NodeJS.ReadableStream | null, log: LogFile, out: NodeJS.WriteStream): void {
  stream?.on('data', (chunk: Buffer) => {
    log.write(chunk.toString());
    if (!app.isPackaged) out.write(chunk);
  });
}

let win: BrowserWindow | null = null;
let engine: UtilityProcess | null = null;
let quitting = false;

function startEngine() {
  const child = utilityProcess.fork(engineEntry, [], {
    serviceName: 'Visage engine',
    stdio: 'pipe',
    env: { ...process.env },
  });
  engine = child;
  tee(child.stdout, engineLog, process.stdout);
  tee(child.stderr, engineLog, process.stderr);
  const rpc = rpcClient({
    postMessage: (m) => {
      child.postMessage(m);
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
  });
  child.on('exit', (code) => {
    rpc.failAll(`The engine stopped (exit code ${code}).`);
    mainLog.write(`engine exited with code ${code}`);
    if (!quitting) {
      dialog.showErrorBox(
        'Visage',
        `The photo engine stopped unexpectedly (exit code ${code}). Visage will close. Details: ${engineLog.path}`,
      );
      app.quit();
    }
  });
  return rpc;
}

function sendCommand(command: EventPayload<'app.command'>): void {
  win?.webContents.send(EVENT_CHANNEL, 'app.command', appEvents['app.command'].parse(command));
}

function createWindow(): BrowserWindow {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const w = new BrowserWindow(
    windowOptions(state, path.join(here, 'preload.cjs'), nativeTheme.shouldUseDarkColors),
  );
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => {
    w.show();
  });
  w.on('close', () => {
    saveWindowState(stateFile, { ...w.getNormalBounds(), maximized: w.isMaximized() });
  });
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  w.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  void w.loadURL(APP_URL);
  return w;
}

async function main(): Promise<void> {
  await app.whenReady();
  // No camera, microphone, notifications or anything else: Visage needs no permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  const rpc = startEngine();
  const { home } = await rpc.ready;
  const api = withOverrides(
    rpc.api,
    desktopHandlers(rpc.api, {
      version: app.getVersion(),
      pickFolder: async () => {
        const options = { properties: ['openDirectory' as const] };
        const res = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return res.canceled ? null : (res.filePaths[0] ?? null);
      },
      openPath: (p) => shell.openPath(p),
      showItemInFolder: (p) => {
        shell.showItemInFolder(p);
      },
    }),
  );
  protocol.handle(APP_SCHEME, visageProtocolHandler({ api, home, dist: rendererDist() }));
  registerContractIpc(
    ipcMain,
    api,
    trustedSender(() => win?.webContents.id ?? null, isAppUrl),
  );
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(sendCommand, process.platform, !app.isPackaged, () => {
        if (win) void undoInPage(win.webContents);
      }),
    ),
  );
  win = createWindow();
  const stopEvents = forwardEventsTo(win.webContents, api);
  win.on('closed', () => {
    stopEvents();
    win = null;
  });
  if (process.env.VISAGE_SMOKE_TEST) void smokeTest(win, api);
}

/**
 * VISAGE_SMOKE_TEST=1 (the release workflow, on each installed app): once the UI has loaded and the
 * engine answered (catalog open, native modules loaded), report and quit with 0; 1 on any failure.
 */
async function smokeTest(w: BrowserWindow, api: VisageApi): Promise<void> {
  const report = (line: string, code: number) => {
    mainLog.write(line);
    process.stdout.write(`${line}\n`);
    app.exit(code);
  };
  const timer = setTimeout(() => {
    report('smoke test: failed (nothing loaded within 120 s)', 1);
  }, 120_000);
  try {
    if (w.webContents.isLoading()) {
      await new Promise<void>((resolve) => {
        w.webContents.once('did-finish-load', () => {
          resolve();
        });
      });
    }
    const status = await api['library.status']({});
    const title = (await w.webContents.executeJavaScript('document.title')) as unknown;
    clearTimeout(timer);
    report(
      `smoke test: ok (window "${String(title)}", models ${status.models.map((m) => m.id).join(', ')})`,
      0,
    );
  } catch (err) {
    clearTimeout(timer);
    report(`smoke test: failed (${err instanceof Error ? err.message : String(err)})`, 1);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Visage is running: it gets a 'second-instance' event and comes to the front.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => {
      e.preventDefault();
    });
  });
  app.on('window-all-closed', () => {
    app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
    engine?.postMessage({ type: 'shutdown' });
  });
  main().catch((err: unknown) => {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    mainLog.write(`could not start: ${detail}`);
    dialog.showErrorBox('Visage could not start', `${detail}\n\nLog: ${mainLog.path}`);
    app.exit(1);
  });
}
