import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the Authorization header carries OPERATOR_TOKEN: as a Bearer token (scrapers), or as the basic-auth password (a browser, any user name). */
export function isOperator(authorization: string | undefined, operatorToken: string): boolean {
  if (!authorization) return false;
  const [scheme, value = ''] = authorization.split(' ', 2);
  if (/^bearer$/i.test(scheme)) return same(value.trim(), operatorToken);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && same(decoded.slice(colon + 1), operatorToken);
  }
  return false;
}

/**
 * A fastify onRequest hook for operator routes (/metrics, /admin/queues): 401 in the api's error
 * shape, with a basic-auth challenge so a browser asks for the token.
 */
export function operatorOnly(operatorToken: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isOperator(request.headers.authorization, operatorToken)) return;
    await reply
      .status(401)
      .header('www-authenticate', 'Basic realm="gongxiao operators", charset="UTF-8"')
      .send({ error: { code: 'unauthenticated', message: 'Operator routes need OPERATOR_TOKEN (Bearer, or as the basic-auth password).', details: [], requestId: String(request.id) } });
  };
}
