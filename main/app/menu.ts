/**
 * The application menu and its shortcuts. Items that act inside the UI send an app.command event to the
 * window (navigate to a view, add a folder through the native folder dialog); Edit → Undo is Visage's
 * undo outside text fields (page-undo.ts); the rest are Electron's standard roles. Visage keeps no redo
 * history, so Redo is the text fields' own.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../api/contract';

type Command = EventPayload<'app.command'>;

export function menuTemplate(
  send: (command: Command) => void,
  platform: NodeJS.Platform,
  dev: boolean,
  undo: () => void,
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
          id: 'addFolder',
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
    {
      label: '&Edit',
      submenu: [
        {
          id: 'undo',
          label: 'Undo',
          accelerator: 'CmdOrCtrl+Z',
          // The page handles the key itself (text field or Visage's undo): the menu item shows the shortcut
          // and acts on click. macOS always routes a menu's key equivalent to the page first.
          registerAccelerator: false,
          click: undo,
        },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
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
