/**
 * Builds the renderer into renderer/dist, served by web mode and by Electron's visage:// protocol. Asset
 * URLs are relative so the same build works under both origins; no inline scripts are emitted, so the
 * strict CSP holds.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Modern Chromium (Electron 45, current browsers) needs no preload polyfill, which would be inline code.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
});
