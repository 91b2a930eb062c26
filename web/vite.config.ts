import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The UI is served by fleetflash itself at /; in development, `npx vite web` proxies the API to a
// running server (FLEETFLASH_URL, default http://127.0.0.1:8000).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: Object.fromEntries(['/api', '/store', '/json'].map((prefix) => [prefix, { target: process.env.FLEETFLASH_URL ?? 'http://127.0.0.1:8000', changeOrigin: false }])),
  },
});
