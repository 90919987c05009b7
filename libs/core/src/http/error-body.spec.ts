import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError, DomainErrorKind, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationFailedError } from '../errors/domain-error';
import { mapError } from './error-body';

describe('mapError', () => {
  describe('domain errors', () => {
    it.each<[DomainErrorKind, number]>([
      ['invalid', 400],
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['not_found', 404],
      ['conflict', 409],
      ['duplicate', 409],
      ['too_large', 413],
      ['unprocessable', 422],
      ['rate_limited', 429],
      ['unavailable', 503],
    ])('maps kind %s to %i with its code, message and details', (kind, status) => {
      const details = [{ field: 'lines[0].quantity', reason: 'must be at least 1' }];
      const mapped = mapError(new DomainError(kind, `sample_${kind}`, `A ${kind} problem.`, details));
      expect(mapped.status).toBe(status);
      expect(mapped.body).toEqual({ error: { code: `sample_${kind}`, message: `A ${kind} problem.`, details } });
      expect(mapped.unexpected).toBe(false);
    });

    it('asks the client to retry later only when rate limited or unavailable', () => {
      expect(mapError(new DomainError('rate_limited', 'too_many_requests', 'Slow down.')).headers).toEqual({ 'retry-after': '5' });
      expect(mapError(new DomainError('unavailable', 'busy', 'Busy.')).headers).toEqual({ 'retry-after': '5' });
      expect(mapError(new DomainError('conflict', 'stock_insufficient', 'No stock.')).headers).toEqual({});
    });

    it('answers 503 with Retry-After when the database is away, restarting, full or too slow', () => {
      for (const code of ['08006', '57P01', '57P03', '53300', '57014']) {
        const mapped = mapError(Object.assign(new Error('database trouble'), { code }));
        expect(mapped).toMatchObject({ status: 503, body: { error: { code: 'service_unavailable' } }, headers: { 'retry-after': '5' } });
      }
    });

    it('turns a deadlock or serialization failure into a retryable 409, never a 500', () => {
      for (const code of ['40P01', '40001', '55P03']) {
        const mapped = mapError(Object.assign(new Error('deadlock detected'), { code }));
        expect(mapped).toMatchObject({ status: 409, body: { error: { code: 'concurrent_update' } }, headers: { 'retry-after': '1' } });
      }
    });

    it('maps the ready-made error classes', () => {
      expect(mapError(new NotFoundError('fulfillment order', '42'))).toMatchObject({ status: 404, body: { error: { code: 'fulfillment_order_not_found' } } });
      expect(mapError(new UnauthenticatedError())).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
      expect(mapError(new ForbiddenError('Finance only.'))).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: 'Finance only.' } } });
      expect(mapError(ValidationFailedError.field('price.amount', 'must be an integer'))).toEqual({
        status: 400,
        body: { error: { code: 'validation_failed', message: 'price.amount: must be an integer', details: [{ field: 'price.amount', reason: 'must be an integer' }] } },
        headers: {},
        unexpected: false,
      });
    });
  });

  describe('fastify errors', () => {
    const fastifyError = (code: string, message: string, statusCode: number) => Object.assign(new Error(message), { code, statusCode });

    it('maps a body that is too large to 413', () => {
      const mapped = mapError(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large', 413));
      expect(mapped.status).toBe(413);
      expect(mapped.body.error.code).toBe('payload_too_large');
      expect(mapped.unexpected).toBe(false);
    });

    it('maps malformed JSON to 400 invalid_json', () => {
      const mapped = mapError(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', "Body is not valid JSON but content-type is set to 'application/json'", 400));
      expect(mapped.status).toBe(400);
      expect(mapped.body).toEqual({ error: { code: 'invalid_json', message: 'The body is not valid JSON.', details: [] } });
    });

    it('maps a JSON SyntaxError with status 400 to invalid_json', () => {
      const error = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), { statusCode: 400 });
      expect(mapError(error)).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    });

    it('passes other 4xx statuses through', () => {
      expect(mapError(fastifyError('FST_ERR_SOMETHING_NEW', 'Nope', 405))).toMatchObject({ status: 405, body: { error: { code: 'http_405' } }, unexpected: false });
    });
  });

  describe('nest http exceptions', () => {
    it('answers an unknown route with route_not_found', () => {
      expect(mapError(new NotFoundException())).toMatchObject({ status: 404, body: { error: { code: 'route_not_found' } } });
    });

    it('keeps the status of other client errors', () => {
      expect(mapError(new BadRequestException('bad'))).toMatchObject({ status: 400, body: { error: { code: 'http_400' } } });
    });
  });

  describe('outages', () => {
    it('maps a refused database connection to 503 with retry-after', () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
      const mapped = mapError(refused);
      expect(mapped.status).toBe(503);
      expect(mapped.headers).toEqual({ 'retry-after': '5' });
      expect(mapped.body.error.code).toBe('service_unavailable');
      expect(mapped.body.error.message).not.toContain('127.0.0.1');
      expect(mapped.unexpected).toBe(true);
    });

    it('maps a MikroORM connection exception to 503', () => {
      class ConnectionException extends Error {
        override name = 'ConnectionException';
      }
      expect(mapError(new ConnectionException('Connection lost'))).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    });

    it('maps a statement on a connection the database dropped mid-transaction to 503 (seen in the chaos run: PostgreSQL stopped during a shipment)', () => {
      class DriverException extends Error {
        override name = 'DriverException';
      }
      const dropped = new DriverException('Client has encountered a connection error and is not queryable');
      expect(mapError(dropped)).toMatchObject({ status: 503, body: { error: { code: 'service_unavailable' } }, headers: { 'retry-after': '5' } });
    });
  });

  describe('bugs', () => {
    it('masks an unknown error as 500 internal_error without leaking its text', () => {
      const secretText = 'relation "members" column password_hash=scrypt$abc leaked';
      const mapped = mapError(new TypeError(secretText));
      expect(mapped.status).toBe(500);
      expect(mapped.body.error.code).toBe('internal_error');
      expect(mapped.body.error.message).not.toContain('password_hash');
      expect(mapped.body.error.message).not.toContain(secretText);
      expect(JSON.stringify(mapped.body)).not.toContain('scrypt');
      expect(mapped.body.error.details).toEqual([]);
      expect(mapped.unexpected).toBe(true);
    });

    it('masks a nest 5xx exception too', () => {
      const error = Object.assign(new Error('upstream blew up'), { getStatus: () => 502 });
      expect(mapError(error)).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
    });

    it.each([null, undefined, 'a string', 42, {}])('survives a thrown %p', (thrown) => {
      expect(mapError(thrown)).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } }, unexpected: true });
    });
  });
});
