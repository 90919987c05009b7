import { EntityManager } from '@mikro-orm/postgresql';
import { ActorContext, DomainError, IllegalTransitionError, isId, NotFoundError, sqlOne } from '@gongxiao/core';

/** What a setting only the origin offer decides needs of it. */
export interface OwnOriginOffer {
  id: string;
  currency: string;
  origin_sku_id: string;
}

/** How a re-share is refused a setting that is its origin's: the error code, and what the setting is. */
export interface OriginOnly {
  code: string;
  /** E.g. "its customization options are the origin supplier's, shown to your buyers as they are". */
  message: string;
  reason: string;
  /** The verb an inactive offer refuses, e.g. 'customize'. */
  action: string;
}

/**
 * The actor's own active origin offer, locked (a change and a withdrawal do not cross), for the
 * settings only the origin supplier decides (customization options, made-to-order terms): a
 * re-share is refused with `refusal`, another merchant's offer is not found.
 */
export async function lockOwnOriginOffer(em: EntityManager, actor: ActorContext, offerId: string, refusal: OriginOnly): Promise<OwnOriginOffer> {
  const offer = isId(offerId)
    ? await sqlOne<OwnOriginOffer & { status: string; upstream_offer_id: string | null }>(
        em,
        `select id::text, currency, origin_sku_id::text, status, upstream_offer_id::text from offer where id = ? and seller_merchant_id = ? for update`,
        [offerId, actor.merchantId],
      )
    : undefined;
  if (!offer) throw new NotFoundError('offer', offerId);
  if (offer.upstream_offer_id !== null) throw new DomainError('invalid', refusal.code, `Offer ${offerId} re-shares another offer: ${refusal.message}`, [{ field: 'offerId', reason: refusal.reason }]);
  if (offer.status !== 'active') throw new IllegalTransitionError('offer', offer.status, refusal.action);
  return { id: offer.id, currency: offer.currency.trim(), origin_sku_id: offer.origin_sku_id };
}
