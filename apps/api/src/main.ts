import 'reflect-metadata';
import { loadConfig } from '@gongxiao/core';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  process.env.GONGXIAO_SERVICE = 'api';
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.PORT, config.HOST);
  console.log(JSON.stringify({ level: 30, service: 'api', msg: `Gongxiao API listening on http://${config.HOST}:${config.PORT} (docs at /docs)` }));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
