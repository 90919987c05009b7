import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppConfig } from '@gongxiao/core';

export const CONSOLE_PATH = '/console';

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>供销控制台</title>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto">
<h1>控制台尚未构建 · The console is not built</h1>
<p>运行 <code>npm run build</code> 后刷新本页。 Run <code>npm run build</code>, then reload this page.</p>
<p>API 文档 · API docs: <a href="/docs">/docs</a></p></body></html>`;

/**
 * The web console at /console: the hashed assets `vite build` wrote to CONSOLE_DIR (cached for a
 * year), and index.html for every other path under /console, so the console's own routes survive a
 * reload (history fallback). Before the console is built, /console says how to build it.
 */
export async function installConsole(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const root = resolve(config.CONSOLE_DIR);
  const indexFile = resolve(root, 'index.html');
  // The page is read again when the build changed it (a rebuild under a running api serves the new one).
  let cached: { mtimeMs: number; body: Buffer } | undefined;
  const page = (): Buffer | undefined => {
    if (!existsSync(indexFile)) return undefined;
    const { mtimeMs } = statSync(indexFile);
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, body: readFileSync(indexFile) };
    return cached.body;
  };

  await fastify.register(async (scope) => {
    // Hashed assets, looked up when asked for (a missing one is a 404, never the page: a stale tab
    // would otherwise run HTML as script); the build writes .br and .gz beside each (vite.config.ts).
    await scope.register(fastifyStatic, {
      root: resolve(root, 'assets'),
      prefix: `${CONSOLE_PATH}/assets/`,
      index: false,
      decorateReply: false,
      preCompressed: true,
      setHeaders: (reply) => {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    scope.get(CONSOLE_PATH, (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
    scope.get(`${CONSOLE_PATH}/*`, (_request, reply) => {
      const body = page();
      if (!body) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
    });
  });
  fastify.get('/', (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 302));
}
