import fastifyCors from '@fastify/cors';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { AppConfig } from '@gongxiao/core';

/** The origins of CORS_ORIGINS (comma-separated); none: same origin only. */
export function corsOrigins(config: AppConfig): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
}

/**
 * Security headers (helmet) with a CSP that Swagger UI at /docs and the queue dashboard live with
 * (their scripts are served from here; they use inline styles and data: images), and CORS for the
 * browser console from CORS_ORIGINS only. The headers are built once: @fastify/helmet built helmet's
 * middleware again on every request (parsing the CSP each time), 0.17 ms of CPU per order pushed.
 */
export async function installHttpHardening(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
        fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  const origins = corsOrigins(config);
  await app.register(fastifyCors, {
    origin: origins.length > 0 ? origins : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after', 'content-disposition'],
    maxAge: 600,
  });
}
