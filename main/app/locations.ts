/**
 * Where the desktop app keeps its files on each OS, next to the catalog (the engine's visageHome():
 * ~/.local/share/visage, ~/Library/Application Support/Visage, %APPDATA%\Visage):
 *   settings (window state, Chromium's profile): Electron's userData — ~/.config/Visage on Linux (XDG
 *     config), ~/Library/Application Support/Visage on macOS, %APPDATA%\Visage on Windows;
 *   logs: ~/.local/state/visage/logs on Linux (XDG state), ~/Library/Logs/Visage on macOS (where Console
 *     looks), %LOCALAPPDATA%\Visage\logs on Windows (machine-local, not roaming).
 * VISAGE_HOME (a portable or test install) puts everything under that one folder. A pure function of
 * platform, environment and home folder, so each OS's answer is tested anywhere.
 */
import path from 'node:path';

export interface DesktopLocations {
  userData: string;
  logs: string;
}

export function desktopLocations(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
): DesktopLocations {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (env.VISAGE_HOME)
    return { userData: p.join(env.VISAGE_HOME, 'desktop'), logs: p.join(env.VISAGE_HOME, 'logs') };
  if (platform === 'darwin') {
    return {
      userData: p.join(home, 'Library', 'Application Support', 'Visage'),
      logs: p.join(home, 'Library', 'Logs', 'Visage'),
    };
  }
  if (platform === 'win32') {
    const roaming = env.APPDATA ?? p.join(home, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA ?? p.join(home, 'AppData', 'Local');
    return { userData: p.join(roaming, 'Visage'), logs: p.join(local, 'Visage', 'logs') };
  }
  return {
    userData: p.join(env.XDG_CONFIG_HOME ?? p.join(home, '.config'), 'Visage'),
    logs: p.join(env.XDG_STATE_HOME ?? p.join(home, '.local', 'state'), 'visage', 'logs'),
  };
}
