import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable, NestMiddleware } from '@nestjs/common';

/** A shop's signed order push: plain SQL from start to end, so it needs no entity manager of its own. */
const ORDER_PUSH = /^\/v1\/shops\/[^/?]+\/orders\/?(\?|$)/;

/**
 * Every request gets its own entity manager (MikroORM's request context), except signed order
 * pushes: the hottest route forks none (that costs more than the rest of its work in the api).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly orm: MikroORM) {}

  use(request: { method?: string; url?: string; originalUrl?: string }, _response: unknown, next: () => void): void {
    if (request.method === 'POST' && ORDER_PUSH.test(request.originalUrl ?? request.url ?? '')) return next();
    RequestContext.create(this.orm.em, next);
  }
}
