import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

export interface SuspendedOffer {
  offerId: string;
  delistingId: string;
  originSkuId: string;
  /** Who the offer is for (null: every partner of the seller). */
  buyerMerchantId: string | null;
}

/**
 * A seller's quality rule fired (automatic delisting): its active offers of the origin SKU are
 * suspended and remember the delisting, so only its reinstatement makes them active again. The chains
 * through them close like a withdrawn offer's; orders already routed are untouched. One statement for
 * every firing; the caller appends `availability.stale` in the same transaction.
 */
export async function suspendOffersForDelistings(em: EntityManager, firings: { delistingId: string; sellerMerchantId: string; originSkuId: string }[]): Promise<SuspendedOffer[]> {
  if (firings.length === 0) return [];
  const rows = await sqlRows<{ id: string; delisting_id: string; origin_sku_id: string; buyer_merchant_id: string | null }>(
    em,
    `update offer o set status = 'suspended', suspended_by_delisting_id = t.delisting_id, updated_at = now()
       from unnest(?::bigint[], ?::bigint[], ?::bigint[]) as t(delisting_id, seller_id, sku_id)
      where o.seller_merchant_id = t.seller_id and o.origin_sku_id = t.sku_id and o.status = 'active'
      returning o.id::text, t.delisting_id::text, o.origin_sku_id::text, o.buyer_merchant_id::text`,
    [firings.map((firing) => firing.delistingId), firings.map((firing) => firing.sellerMerchantId), firings.map((firing) => firing.originSkuId)],
  );
  return rows.map((row) => ({ offerId: row.id, delistingId: row.delisting_id, originSkuId: row.origin_sku_id, buyerMerchantId: row.buyer_merchant_id }));
}

/** The owner reinstated the delisting: exactly the offers it suspended (still suspended) are active again. */
export async function reinstateOffersOfDelisting(em: EntityManager, delistingId: string): Promise<SuspendedOffer[]> {
  const rows = await sqlRows<{ id: string; origin_sku_id: string; buyer_merchant_id: string | null }>(
    em,
    `update offer set status = 'active', suspended_by_delisting_id = null, updated_at = now()
      where suspended_by_delisting_id = ? and status = 'suspended'
      returning id::text, origin_sku_id::text, buyer_merchant_id::text`,
    [delistingId],
  );
  return rows.map((row) => ({ offerId: row.id, delistingId, originSkuId: row.origin_sku_id, buyerMerchantId: row.buyer_merchant_id }));
}

/**
 * The direct partners downstream of these offers: who they are offered to, and the sellers of the
 * re-shares made of them (never further down). One statement.
 */
export async function directBuyersOfOffers(em: EntityManager, offerIds: string[]): Promise<Map<string, string[]>> {
  const rows = offerIds.length
    ? await sqlRows<{ offer_id: string; merchant_id: string }>(
        em,
        `select id::text as offer_id, buyer_merchant_id::text as merchant_id from offer where id = any(?::bigint[]) and buyer_merchant_id is not null
         union
         select upstream_offer_id::text, seller_merchant_id::text from offer where upstream_offer_id = any(?::bigint[])`,
        [offerIds, offerIds],
      )
    : [];
  const result = new Map<string, string[]>();
  for (const row of rows) result.set(row.offer_id, [...(result.get(row.offer_id) ?? []), row.merchant_id]);
  return result;
}

/** The offers of these origin SKUs a buyer may hold listings of, with their sellers (the buyer's direct upstream): one statement. */
export async function offersOfOriginSkusSoldTo(
  em: EntityManager,
  pairs: { buyerMerchantId: string; originSkuId: string }[],
): Promise<{ offerId: string; sellerMerchantId: string; originSkuId: string; buyerMerchantId: string }[]> {
  if (pairs.length === 0) return [];
  const rows = await sqlRows<{ id: string; seller_merchant_id: string; origin_sku_id: string; buyer: string }>(
    em,
    `select o.id::text, o.seller_merchant_id::text, o.origin_sku_id::text, t.buyer_id::text as buyer
       from unnest(?::bigint[], ?::bigint[]) as t(buyer_id, sku_id)
       join offer o on o.origin_sku_id = t.sku_id and (o.buyer_merchant_id = t.buyer_id or o.buyer_merchant_id is null) and o.seller_merchant_id <> t.buyer_id`,
    [pairs.map((pair) => pair.buyerMerchantId), pairs.map((pair) => pair.originSkuId)],
  );
  return rows.map((row) => ({ offerId: row.id, sellerMerchantId: row.seller_merchant_id, originSkuId: row.origin_sku_id, buyerMerchantId: row.buyer }));
}
