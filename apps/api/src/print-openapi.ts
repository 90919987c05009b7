import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '@gongxiao/core';
import { createApiApp } from './bootstrap';

/**
 * Writes the api's OpenAPI document to the file given as the first argument (the console's typed
 * client is generated from it: `npm run console:schema`). It boots the api without listening, so
 * it needs the PostgreSQL and Redis of DATABASE_URL / REDIS_URL to be reachable.
 */
async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('Usage: print-openapi <file.json>');
  const app = await createApiApp(loadConfig(), { logs: false });
  await app.init();
  const answer = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs/openapi.json' });
  if (answer.statusCode !== 200) throw new Error(`GET /docs/openapi.json answered ${answer.statusCode}`);
  writeFileSync(target, JSON.stringify(JSON.parse(answer.body), null, 2));
  await app.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
