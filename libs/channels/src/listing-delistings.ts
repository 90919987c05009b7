import { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, sqlRows } from '@gongxiao/core';

export interface DelistedListing {
  listingId: string;
  delistingId: string;
  shopId: string;
  offerId: string | null;
}

/**
 * A seller's quality rule fired: its active listings of the goods (its own SKU, or the offers of it given)
 * are paused and remember the delisting; the ordinary resume refuses them (`listing_delisted`), only the
 * reinstatement resumes them. The caller appends `availability.stale` in the same transaction.
 */
export async function pauseListingsForDelisting(em: EntityManager, firing: { delistingId: string; merchantId: string; skuId: string; offerIds: string[] }): Promise<DelistedListing[]> {
  const rows = await sqlRows<{ id: string; shop_id: string; offer_id: string | null }>(
    em,
    `update listing set status = 'paused', delisting_id = ?, updated_at = now()
      where merchant_id = ? and status = 'active' and (sku_id = ? or offer_id = any(?::bigint[]))
      returning id::text, shop_id::text, offer_id::text`,
    [firing.delistingId, firing.merchantId, firing.skuId, firing.offerIds],
  );
  return rows.map((row) => ({ listingId: row.id, delistingId: firing.delistingId, shopId: row.shop_id, offerId: row.offer_id }));
}

/** The owner reinstated the delisting: exactly the listings it paused (still paused by it) are active again. */
export async function resumeListingsOfDelisting(em: EntityManager, delistingId: string): Promise<DelistedListing[]> {
  const rows = await sqlRows<{ id: string; shop_id: string; offer_id: string | null }>(
    em,
    `update listing set status = 'active', delisting_id = null, updated_at = now() where delisting_id = ? and status = 'paused' returning id::text, shop_id::text, offer_id::text`,
    [delistingId],
  );
  return rows.map((row) => ({ listingId: row.id, delistingId, shopId: row.shop_id, offerId: row.offer_id }));
}

/** The merchants holding listings of these offers (direct buyers told of a delisting): one statement. */
export async function listingHoldersOfOffers(em: EntityManager, offerIds: string[]): Promise<string[]> {
  if (offerIds.length === 0) return [];
  return (await sqlRows<{ merchant_id: string }>(em, `select distinct merchant_id::text from listing where offer_id = any(?::bigint[])`, [offerIds])).map((row) => row.merchant_id);
}

/** The ordinary resume refuses a listing paused by a quality rule: the delisting is reinstated instead. */
export function assertNotDelisted(listing: { status: string; delistingId: string | null }, input: { status?: string }): void {
  if (input.status === 'active' && listing.status === 'paused' && listing.delistingId) {
    throw new ConflictError(
      'listing_delisted',
      `This listing was paused by your quality rule (delisting ${listing.delistingId}): reinstate it with POST /v1/quality/delistings/${listing.delistingId}/reinstate.`,
      [{ field: 'status', reason: 'paused by a delisting rule' }],
    );
  }
}
