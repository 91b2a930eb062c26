import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes a .br and a .gz copy beside every text file of the build, once, at build time: the server
 * (@fastify/static's preCompressed) then sends the smallest the browser accepts, without
 * compressing on each request. Tiny files are left alone (the headers would outweigh the saving).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'fleetflash-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const file = path.join(dir, name);
          return statSync(file).isDirectory() ? walk(file) : [file];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt)$/.test(file)) continue;
        const content = readFileSync(file);
        if (content.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

// The UI is served by fleetflash itself at /; in development, `npx vite web` proxies the API to a
// running server (FLEETFLASH_URL, default http://127.0.0.1:8000).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompress()],
  // No source maps in the build: the server would publish them (and the UI's whole source with them).
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/store', '/json'].map((prefix) => [
        prefix,
        { target: process.env.FLEETFLASH_URL ?? 'http://127.0.0.1:8000', changeOrigin: false },
      ]),
    ),
  },
});
