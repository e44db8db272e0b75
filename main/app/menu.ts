/**
 * The application menu and its shortcuts. Items that act inside the UI send an app.command event to the
 * window (navigate to a view, add a folder); the rest are Electron's standard roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../api/contract';

type Command = EventPayload<'app.command'>;

export function menuTemplate(
  send: (command: Command) => void,
  platform: NodeJS.Platform,
  dev: boolean,
): MenuItemConstructorOptions[] {
  const go = (view: Extract<Command, { command: 'navigate' }>['view'], key: string, label: string) => ({
    label,
    accelerator: `CmdOrCtrl+${key}`,
    click: () => {
      send({ command: 'navigate', view });
    },
  });
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Add Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: () => {
            send({ command: 'addFolder' });
          },
        },
        { type: 'separator' },
        go('settings', ',', 'Settings'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        go('library', '1', 'Library'),
        go('people', '2', 'People'),
        go('review', '3', 'Review'),
        go('search', '4', 'Search'),
        go('training', '5', 'Training'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(dev
          ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]
          : []),
      ],
    },
    { role: 'windowMenu' },
  ];
}
