import { FastifyRequest } from 'fastify';
import { DomainError, PushFailureThrottle } from '@gongxiao/core';
import { ChannelsService, PushingShop } from '@gongxiao/channels';

/** Signed pushes are JSON: another content type is a 415, before anything else is looked at. */
export function assertJsonBody(request: FastifyRequest): void {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== '' && type !== 'application/json') {
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', `Send the body as application/json, not ${type.slice(0, 60)}.`, [
      { field: 'content-type', reason: 'must be application/json' },
    ]);
  }
}

/** What a signed push needs of the request: its headers and the exact bytes that were signed. */
export interface SignedPushRequest {
  request: FastifyRequest & { rawBody?: Buffer };
  shopId: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * The shop behind a signed push (orders, cancellations, reviews): JSON only (415), a body when `what`
 * names one (400 invalid_json), the signature checked over the raw bytes; unsigned or badly signed
 * pushes count per IP (429 past PUSH_FAILURES_PER_IP), correct ones never do.
 */
export function verifiedShopPush(channels: ChannelsService, failures: PushFailureThrottle, push: SignedPushRequest, what?: string): Promise<PushingShop> {
  assertJsonBody(push.request);
  const rawBody = push.request.rawBody;
  if (what && !rawBody) throw new DomainError('invalid', 'invalid_json', `Send the ${what} as an application/json body.`);
  return failures.guard(push.request.ip, () => channels.verifySignedPush(push.shopId, push.timestamp, push.signature, rawBody ?? ''));
}
