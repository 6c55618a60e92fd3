// Vite configuration for the web app. Used by `npx vite web` (development, with /api proxied to a running
// `turnout serve`) and by src/serve/build.ts, which imports it and runs Vite's build() programmatically.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // Preact's automatic JSX runtime, through Vite 8's oxc transformer (no preset plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The map's worker and the basemap are separate files fetched from the same origin.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    // the place names file is written beside the built app by src/serve/build.ts: in development, the running
    // server's copy
    proxy: { '/api': 'http://127.0.0.1:8080', '/feeds': 'http://127.0.0.1:8080', '/place-labels.json': 'http://127.0.0.1:8080' },
  },
});
