import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppConfig } from '@gongxiao/core';

export const CONSOLE_PATH = '/console';

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>供销控制台</title>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto">
<h1>控制台尚未构建 · The console is not built</h1>
<p>运行 <code>npm run build</code> 后刷新本页。 Run <code>npm run build</code>, then reload this page.</p>
<p>API 文档 · API docs: <a href="/docs">/docs</a></p></body></html>`;

/**
 * The web console at /console: the files `vite build` wrote to CONSOLE_DIR (hashed assets cached
 * for a year), and index.html for every other path under /console, so the console's own routes
 * survive a reload (history fallback). Before the console is built, /console says how to build it.
 */
export async function installConsole(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const root = resolve(config.CONSOLE_DIR);
  const indexFile = resolve(root, 'index.html');
  const built = existsSync(indexFile);
  const index = built ? readFileSync(indexFile) : undefined;

  await fastify.register(async (scope) => {
    if (built) {
      await scope.register(fastifyStatic, {
        root,
        prefix: `${CONSOLE_PATH}/`,
        wildcard: false,
        index: false,
        decorateReply: false,
        // The build writes .br and .gz beside each asset (apps/console/vite.config.ts).
        preCompressed: true,
        setHeaders: (reply, path) => {
          reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }
    scope.get(CONSOLE_PATH, (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
    scope.get(`${CONSOLE_PATH}/*`, (request, reply) => {
      // A missing asset is a 404, never the page (a stale tab would otherwise run HTML as script).
      if (request.url.startsWith(`${CONSOLE_PATH}/assets/`)) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      if (!index) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
    });
  });
  fastify.get('/', (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
}
