/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './precompress.mts';

// Vite 8 compiles TSX itself (Oxc, automatic JSX runtime from tsconfig), so no React plugin is
// needed for the build; there is no Fast Refresh in `npm run dev:web`, a full reload instead.
const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.DASHBOARD_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  root,
  base: '/',
  // .br and .gz beside each built file, served by src/web/web.module.ts (preCompressed).
  plugins: [precompress()],
  build: {
    // src/web/web.module.ts serves this folder.
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev:web` next to `npm start`: the page's API calls go to the backend.
    proxy: { '/github': api },
  },
  test: {
    root,
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    restoreMocks: true,
  },
});
