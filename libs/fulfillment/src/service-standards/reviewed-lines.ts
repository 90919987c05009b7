import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/** What a consumer review is about: the fulfillment line of a shop order line, with its supplier, warehouse and SKU. */
export interface ReviewedLine {
  fulfillmentOrderLineId: string;
  fulfillmentOrderId: string;
  channelOrderLineId: string;
  supplierMerchantId: string;
  warehouseId: string;
  skuId: string;
  shippedQuantity: number;
}

/**
 * The fulfillment lines of shop order lines (the first one when a line was split across warehouses,
 * preferring one that shipped), by shop order line id: one statement for every line asked about.
 */
export async function fulfillmentLinesOfChannelLines(em: EntityManager, channelOrderLineIds: string[]): Promise<Map<string, ReviewedLine>> {
  const result = new Map<string, ReviewedLine>();
  if (channelOrderLineIds.length === 0) return result;
  const rows = await sqlRows<{ id: string; fulfillment_order_id: string; channel_order_line_id: string; supplier_merchant_id: string; warehouse_id: string; sku_id: string; shipped_quantity: number }>(
    em,
    `select distinct on (l.channel_order_line_id) l.id::text, l.fulfillment_order_id::text, l.channel_order_line_id::text,
            f.supplier_merchant_id::text, f.warehouse_id::text, l.sku_id::text, l.shipped_quantity
       from fulfillment_order_line l join fulfillment_order f on f.id = l.fulfillment_order_id
      where l.channel_order_line_id = any(?::bigint[])
      order by l.channel_order_line_id, (l.shipped_quantity > 0) desc, l.id`,
    [channelOrderLineIds],
  );
  for (const row of rows) {
    result.set(row.channel_order_line_id, {
      fulfillmentOrderLineId: row.id,
      fulfillmentOrderId: row.fulfillment_order_id,
      channelOrderLineId: row.channel_order_line_id,
      supplierMerchantId: row.supplier_merchant_id,
      warehouseId: row.warehouse_id,
      skuId: row.sku_id,
      shippedQuantity: row.shipped_quantity,
    });
  }
  return result;
}
