import 'reflect-metadata';
import { loadConfig } from '@gongxiao/core';
import { createWorker } from './bootstrap';

async function main(): Promise<void> {
  process.env.GONGXIAO_SERVICE = 'worker';
  const config = loadConfig();
  await createWorker(config);
  console.log(JSON.stringify({ level: 30, service: 'worker', msg: `Gongxiao worker running (concurrency ${config.WORKER_CONCURRENCY} per queue)` }));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
