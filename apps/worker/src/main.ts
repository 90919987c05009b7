import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { loadConfig } from '@gongxiao/core';
import { createWorker } from './bootstrap';

async function main(): Promise<void> {
  process.env.GONGXIAO_SERVICE = 'worker';
  const config = loadConfig();
  // Before the application loads, while the heap is small (see WORKER_HEAP_GROWING_PERCENT).
  if (config.WORKER_HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.WORKER_HEAP_GROWING_PERCENT}`);
  await createWorker(config);
  console.log(JSON.stringify({ level: 30, service: 'worker', msg: `Gongxiao worker running (concurrency ${config.WORKER_CONCURRENCY} per queue)` }));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
