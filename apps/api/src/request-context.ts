import { MikroORM, RequestContext } from '@mikro-orm/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/** A shop's signed order push: plain SQL from start to end, so it needs no entity manager of its own. */
const ORDER_PUSH = /^\/v1\/shops\/[^/?]+\/orders\/?(\?|$)/;

/**
 * Every request gets its own entity manager (MikroORM's request context), except signed order
 * pushes: the hottest route forks none (that costs more than the rest of its work in the api). A
 * fastify hook, not a Nest middleware: Nest runs middleware through @fastify/middie, which cost
 * 0.3 ms of CPU per request to match one catch-all path.
 */
export function installRequestContext(app: NestFastifyApplication): void {
  const orm = app.get(MikroORM);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => {
      if (request.method === 'POST' && ORDER_PUSH.test(request.url)) return done();
      RequestContext.create(orm.em, done);
    });
}
