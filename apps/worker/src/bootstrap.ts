import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@gongxiao/core';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors for every queue plus the outbox relay (also used by e2e tests). */
export async function createWorker(config: AppConfig, options: { logs?: boolean } = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), { bufferLogs: true, abortOnError: false });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  app.enableShutdownHooks();
  await app.init();
  return app;
}
