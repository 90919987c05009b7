import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/** Whose lines of which origin SKU, routed since when: one delisting rule's view of one SKU. */
export interface SalesQualityTarget {
  key: string;
  sellerMerchantId: string;
  skuId: string;
  since: Date;
}

export interface SalesQualityLine {
  key: string;
  lineId: string;
  fulfillmentOrderId: string;
  shippedUnits: number;
  /** The order's ship-by has been put to the test (shipped, or past it; never cancelled), as `shippingFigures` counts it. */
  due: boolean;
  /** Due and not fully shipped by its ship-by. */
  late: boolean;
}

/**
 * The lines each target merchant sells of one origin SKU (the scorecards' definition: it is the shop's
 * distributor, or the seller on one of the line's hops), routed in [since, until): one statement for every
 * target, reading one SKU's lines through `fulfillment_order_line_sku_idx`.
 */
export async function salesQualityLines(em: EntityManager, targets: SalesQualityTarget[], until: Date): Promise<SalesQualityLine[]> {
  if (targets.length === 0) return [];
  const rows = await sqlRows<{ key: string; line_id: string; order_id: string; shipped: number; due: boolean; late: boolean }>(
    em,
    `select t.key, l.id::text as line_id, l.fulfillment_order_id::text as order_id, l.shipped_quantity as shipped,
            (f.status <> 'cancelled' and f.ship_by is not null and (f.shipped_at is not null or f.ship_by <= ?::timestamptz)) as due,
            not (f.shipped_at is not null and f.shipped_at <= f.ship_by) as late
       from unnest(?::text[], ?::bigint[], ?::bigint[], ?::timestamptz[]) as t(key, seller_id, sku_id, since)
       join fulfillment_order_line l on l.sku_id = t.sku_id
       join fulfillment_order f on f.id = l.fulfillment_order_id and f.created_at >= t.since and f.created_at < ?::timestamptz
      where l.distributor_merchant_id = t.seller_id
         or exists (select 1 from fulfillment_line_hop h where h.fulfillment_order_line_id = l.id and h.seller_merchant_id = t.seller_id)`,
    [
      until.toISOString(),
      targets.map((target) => target.key),
      targets.map((target) => target.sellerMerchantId),
      targets.map((target) => target.skuId),
      targets.map((target) => target.since.toISOString()),
      until.toISOString(),
    ],
  );
  return rows.map((row) => ({ key: row.key, lineId: row.line_id, fulfillmentOrderId: row.order_id, shippedUnits: row.shipped, due: row.due === true, late: row.late === true }));
}
