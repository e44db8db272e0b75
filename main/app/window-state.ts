/**
 * Remembers the window's size, position and maximised state between runs (a small JSON file in the user
 * data folder). A saved position that no longer lies on any screen (a monitor was unplugged) is dropped,
 * so the window never opens out of sight.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WindowBounds } from './window-options';

export interface WindowState extends WindowBounds {
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

const DEFAULT: WindowState = { width: 1280, height: 820, maximized: false };

function visibleOn(state: WindowState, screens: readonly Area[]): boolean {
  if (state.x === undefined || state.y === undefined) return true;
  const { x, y } = state;
  // At least the title bar's first 100 px must be on some screen.
  return screens.some((s) => x + 100 > s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height);
}

export function loadWindowState(file: string, screens: readonly Area[]): WindowState {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const width = Number(raw.width);
    const height = Number(raw.height);
    if (!(width >= 400 && height >= 300)) return DEFAULT;
    const state: WindowState = { width, height, maximized: raw.maximized === true };
    if (Number.isFinite(raw.x) && Number.isFinite(raw.y)) Object.assign(state, { x: raw.x, y: raw.y });
    if (!visibleOn(state, screens)) return { width, height, maximized: state.maximized };
    return state;
  } catch {
    return DEFAULT;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state));
}
