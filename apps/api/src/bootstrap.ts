import { installLargeJsonRoutes, installUploads } from './operations/uploads';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfig, mapError, requestIdFor } from '@gongxiao/core';
import { XLSX_CONTENT_TYPE } from '@gongxiao/settlement';
import { ApiModule } from './api.module';
import { installConsole } from './operations/console-assets';
import { installHttpHardening } from './operations/http-hardening';
import { installRequestContext } from './request-context';
import { installMetrics } from './operations/metrics';
import { installQueueDashboard } from './operations/queue-dashboard';
import { buildOpenApiDocument } from './openapi-document';

type FastifyErrorHandler = Parameters<FastifyAdapter['setErrorHandler']>[0];

/**
 * Fastify's own errors (body too large, bad JSON, wrong content type) get the same error shape as
 * ours. Nest installs its own fastify error handler when the app initialises, replacing any set
 * before, and turns these errors into bare HttpExceptions that lose their FST_ code; so the one Nest
 * installs is wrapped: fastify's errors are answered here, everything else goes on to Nest (and so
 * to the global exception filter).
 */
class ApiFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: FastifyErrorHandler) {
    const wrapped: FastifyErrorHandler = function (this: unknown, error, request, reply) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && code.startsWith('FST_')) {
        const mapped = mapError(error);
        if (!mapped.unexpected)
          return reply
            .status(mapped.status)
            .headers(mapped.headers)
            .send({ error: { ...mapped.body.error, requestId: String(request.id) } });
      }
      return handler.call(this as never, error, request, reply);
    };
    return super.setErrorHandler(wrapped);
  }
}

/**
 * fastify's trustProxy from TRUST_PROXY. Trusting every X-Forwarded-For would let any client choose
 * the IP that per-IP limits count, so by default the peer address is the client.
 */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Builds the HTTP application (used by main.ts and by the e2e tests, so both run the same app). */
export async function createApiApp(config: AppConfig, options: { logs?: boolean } = {}): Promise<NestFastifyApplication> {
  // Request ids are UUIDs, or the caller's x-request-id when it is a sane token (requestIdFor).
  const adapter = new ApiFastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, trustProxy: trustProxySetting(config.TRUST_PROXY), requestIdHeader: false, genReqId: requestIdFor });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forConfig(config), adapter, {
    rawBody: true,
    bufferLogs: true,
    abortOnError: false,
  });
  // Uploaded spreadsheets (reconciliation) arrive as the raw body, up to their own, larger limit.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser([XLSX_CONTENT_TYPE, 'text/csv'], { parseAs: 'buffer', bodyLimit: config.UPLOAD_LIMIT_BYTES }, (_request, body, done) => done(null, body));
  await installUploads(app, config);
  installLargeJsonRoutes(app, config);
  installRequestContext(app);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  await installHttpHardening(app, config);
  installMetrics(app, config);
  await installQueueDashboard(app, config);
  await installConsole(app, config);
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
