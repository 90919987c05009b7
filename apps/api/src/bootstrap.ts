import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfig, mapError } from '@gongxiao/core';
import { ApiModule } from './api.module';

/** Builds the HTTP application (used by main.ts and by the e2e tests, so both run the same app). */
export async function createApiApp(config: AppConfig, options: { logs?: boolean } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, trustProxy: true, requestIdHeader: 'x-request-id' });
  // Fastify's own errors (body too large, bad JSON, wrong content type) get the same error shape.
  adapter.getInstance().setErrorHandler((error, _request, reply) => {
    const mapped = mapError(error);
    void reply.status(mapped.status).headers(mapped.headers).send(mapped.body);
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forConfig(config), adapter, {
    rawBody: true,
    bufferLogs: true,
    abortOnError: false,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gongxiao API')
      .setDescription(
        'Distribution collaboration for social e-commerce. Authenticate with "Authorization: Bearer <API key or login token>". ' +
          'Money is integer minor units with a currency; ids are strings; errors are {"error": {"code", "message", "details"}}.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
