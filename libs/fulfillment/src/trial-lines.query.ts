import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/** A fulfillment line on which a buyer took trial units of an offer, with what became of them. */
export interface TrialLine {
  fulfillmentOrderLineId: string;
  channelOrderId: string;
  /** Trial units still live on the line (cancelled ones went back). */
  trialUnits: number;
  /** Of those, shipped (units ship trial first). */
  trialUnitsShipped: number;
}

/**
 * The lines on which this buyer bought this offer at its trial price (its own hop only: the hop's
 * buyer is the merchant asking), one statement. For a buyer's trial figures.
 */
export async function trialLinesOf(em: EntityManager, offerId: string, buyerMerchantId: string): Promise<TrialLine[]> {
  const rows = await sqlRows<{ line_id: string; channel_order_id: string; trial_units: number; shipped: number }>(
    em,
    `select l.id::text as line_id, l.channel_order_id::text, least(h.trial_units, l.quantity - l.cancelled_quantity) as trial_units, least(h.trial_units, l.shipped_quantity) as shipped
       from fulfillment_line_hop h join fulfillment_order_line l on l.id = h.fulfillment_order_line_id
      where h.offer_id = ? and h.buyer_merchant_id = ? and h.trial_units > 0
      order by l.id`,
    [offerId, buyerMerchantId],
  );
  return rows.map((row) => ({ fulfillmentOrderLineId: row.line_id, channelOrderId: row.channel_order_id, trialUnits: row.trial_units, trialUnitsShipped: row.shipped }));
}

/** Whether the merchant ever bought the offer (any hop it is the buyer of): it may see its trial figures after the offer ends. */
export async function hasBoughtOffer(em: EntityManager, offerId: string, buyerMerchantId: string): Promise<boolean> {
  const rows = await sqlRows<{ ok: boolean }>(em, `select exists (select 1 from fulfillment_line_hop where offer_id = ? and buyer_merchant_id = ?) as ok`, [offerId, buyerMerchantId]);
  return Boolean(rows[0]?.ok);
}
