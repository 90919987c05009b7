import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The console, built into dist/console and served by the api at /console. Each area of
 * src/areas is its own chunk (loaded when first opened); React, antd and TanStack Query are
 * shared vendor chunks. `npm run console:dev` serves it with hot reload and proxies the api.
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id)) return 'react';
          if (/node_modules\/@tanstack\//.test(id)) return 'query';
          return 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/v1': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000', '/docs': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
