import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, Plugin } from 'vite';

const OUT_DIR = resolve(__dirname, '../../dist/console');

/** Writes .br and .gz beside every built script and stylesheet; the api serves them to browsers that accept them (preCompressed). */
function precompress(): Plugin {
  return {
    name: 'gongxiao-precompress',
    apply: 'build',
    closeBundle() {
      const assets = resolve(OUT_DIR, 'assets');
      for (const name of readdirSync(assets).filter((file) => /\.(js|css|svg)$/.test(file))) {
        const body = readFileSync(resolve(assets, name));
        writeFileSync(resolve(assets, `${name}.gz`), gzipSync(body, { level: 9 }));
        writeFileSync(resolve(assets, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

/**
 * The console, built into dist/console and served by the api at /console. Each area of
 * src/areas is its own chunk (loaded when first opened); React and TanStack Query are
 * their own chunks; other packages (antd's components) are split by Rollup so that a screen loads only
 * the components its area uses. `npm run console:dev` serves it with hot reload and proxies the api.
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react(), precompress()],
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id)) return 'react';
          if (/node_modules\/@tanstack\//.test(id)) return 'query';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/v1': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000', '/docs': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
