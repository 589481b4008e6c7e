import { defineConfig } from 'vite';

/** The web app: built into ui/dist, which the api serves at /. */
export default defineConfig({
  root: import.meta.dirname,
  // Every browser the agencies run supports module preloading.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, modulePreload: { polyfill: false } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
