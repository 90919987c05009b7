import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from '../logging/redact-url';
import { mapError } from './error-body';

/** The one place that turns domain errors (and anything else) into HTTP responses. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const mapped = mapError(exception);
    if (mapped.unexpected && process.env.DEBUG_ERRORS) console.error(exception);
    if (mapped.unexpected) {
      this.logger.error({ err: exception, method: request?.method, url: redactUrl(request?.url), requestId: request?.id }, 'request failed');
    }
    // The request id in the body lets a client quote it to support (it is in the x-request-id header and the log too).
    const body = request?.id ? { error: { ...mapped.body.error, requestId: String(request.id) } } : mapped.body;
    void reply.status(mapped.status).headers(mapped.headers).send(body);
  }
}
