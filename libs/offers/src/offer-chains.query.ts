import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { ChainHop } from './offer-chain';

/** Re-shares a chain may have above its origin offer. */
export const MAX_CHAIN_DEPTH = 16;

interface OfferRow {
  id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string | null;
  upstream_offer_id: string | null;
  price_amount: string;
  shipping_fee_amount: string;
  currency: string;
  status: string;
  origin_merchant_id: string;
  origin_sku_id: string;
  return_window_days: number;
  ship_within_hours: number;
  start_id: string;
  hop: number;
}

/**
 * The chain of each starting offer, from the offer a buyer holds up to the origin supplier,
 * read in one recursive query in the caller's transaction. Each hop carries its own seller's
 * price and shipping fee: a fee is "passed down the chain" hop by hop, each seller charging its own.
 */
export async function offerChainsOf(em: EntityManager, starts: { offerId: string; buyerMerchantId: string }[]): Promise<Map<string, ChainHop[]>> {
  const result = new Map<string, ChainHop[]>();
  if (starts.length === 0) return result;
  const rows = await sqlRows<OfferRow>(
    em,
    `with recursive chain as (
       select o.*, o.id as start_id, 0 as hop from offer o where o.id = any(?::bigint[])
       union all
       select u.*, c.start_id, c.hop + 1 from offer u join chain c on u.id = c.upstream_offer_id where c.hop < ?
     )
     select id, seller_merchant_id, buyer_merchant_id, upstream_offer_id, price_amount, shipping_fee_amount, currency, status,
            origin_merchant_id, origin_sku_id, return_window_days, ship_within_hours, start_id, hop
       from chain order by start_id, hop`,
    [[...new Set(starts.map((start) => start.offerId))], MAX_CHAIN_DEPTH + 1],
  );
  const buyerOf = new Map(starts.map((start) => [start.offerId, start.buyerMerchantId]));
  for (const row of rows) {
    const startId = String(row.start_id);
    const hops = result.get(startId) ?? [];
    const buyer = hops.length === 0 ? buyerOf.get(startId)! : hops[hops.length - 1].sellerMerchantId;
    hops.push({
      offerId: String(row.id),
      sellerMerchantId: String(row.seller_merchant_id),
      buyerMerchantId: buyer,
      offeredToMerchantId: row.buyer_merchant_id === null ? null : String(row.buyer_merchant_id),
      priceAmount: Number(row.price_amount),
      shippingFeeAmount: Number(row.shipping_fee_amount),
      currency: row.currency,
      status: row.status,
      originMerchantId: String(row.origin_merchant_id),
      originSkuId: String(row.origin_sku_id),
      returnWindowDays: row.return_window_days,
      shipWithinHours: row.ship_within_hours,
    });
    result.set(startId, hops);
  }
  return result;
}
