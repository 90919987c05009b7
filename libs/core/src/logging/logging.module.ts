import { randomUUID } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { redactUrl } from './redact-url';

/** Structured JSON logs (pino); credentials and secrets are redacted. */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          redact: {
            paths: ['req.headers.authorization', 'req.headers["x-gongxiao-signature"]', 'req.headers.cookie', '*.password', '*.webhookSecret', '*.secret', '*.token', '*.apiKey'],
            censor: '[redacted]',
          },
          // Credentials in a path segment (invite codes) never reach a log line.
          serializers: { req: (request: { url?: string }) => Object.assign(request, { url: redactUrl(request.url) }) },
          // Probes (every few seconds from an orchestrator) are not logged. The middleware sees the
          // url relative to its mount point: the original url is the one to match.
          autoLogging: { ignore: (request: { url?: string; originalUrl?: string }) => /^\/health(\/|\?|$)/.test(request.originalUrl ?? request.url ?? '') },
          // The id fastify gave the request (requestIdFor): the same in the log, the x-request-id header and error bodies.
          genReqId: (request: { id?: unknown }) => (typeof request.id === 'string' ? request.id : randomUUID()),
          customProps: () => ({ service: process.env.GONGXIAO_SERVICE ?? 'gongxiao' }),
        },
      }),
    }),
  ],
})
export class LoggingModule {}
