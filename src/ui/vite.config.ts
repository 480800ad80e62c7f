import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Build of the web UI: `vite build src/ui` (this folder is the root) writes `dist/ui/`, which the server
 * serves (`src/server/static-ui.ts`). Everything is bundled: nothing is fetched from a CDN at run time.
 */
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: '../../dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
});
