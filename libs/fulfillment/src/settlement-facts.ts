import { EntityManager } from '@mikro-orm/postgresql';
import { NewOutboxEvent, SettlementHopFact } from '@gongxiao/core';
import type { CatalogService } from '@gongxiao/catalog';
import type { OrdersService } from '@gongxiao/orders';
import { hopPricesOfLines, LineHopPrice } from './after-sales-support';
import type { FulfillmentLineRow, FulfillmentOrderRow } from './fulfillment.service';

/**
 * The facts settlement is fed with by fulfillment, built in the transaction of the change they
 * report: settlement reads none of fulfillment's tables, so each event carries every figure.
 */

/** Every hop of each line as frozen at routing, by fulfillment line id (own goods: no entry); trial units are the line's. */
export function hopFactsByLine(rows: LineHopPrice[]): Map<string, SettlementHopFact[]> {
  const byLine = new Map<string, SettlementHopFact[]>();
  for (const row of rows) {
    const hops = byLine.get(row.fulfillment_order_line_id) ?? [];
    hops.push({
      hopIndex: row.hop_index,
      sellerMerchantId: row.seller_merchant_id,
      buyerMerchantId: row.buyer_merchant_id,
      unitPriceAmount: row.unit_price_amount,
      shippingFeeAmount: row.shipping_fee_amount,
      currency: row.currency.trim(),
      ...(row.trial_units > 0 ? { trialUnits: row.trial_units, trialUnitPriceAmount: row.trial_unit_price_amount } : {}),
    });
    byLine.set(row.fulfillment_order_line_id, hops);
  }
  return byLine;
}

export interface RecordedParcel {
  shipment: { id: string; carrier_code: string; tracking_number: string; created_at: Date };
  order: Pick<FulfillmentOrderRow, 'id' | 'supplier_merchant_id'>;
  lines: { line: FulfillmentLineRow; quantity: number }[];
}

/**
 * `shipment.recorded` for one parcel: every line in it with its shop order, SKU and units, and every
 * hop of each line (one read of the hops, one of the orders, one of the SKUs for the whole parcel).
 */
export async function shipmentRecordedEvent(em: EntityManager, catalog: CatalogService, orders: OrdersService, parcel: RecordedParcel): Promise<NewOutboxEvent<'shipment.recorded'>> {
  return (await shipmentRecordedEvents(em, catalog, orders, [parcel]))[0];
}

/** `shipment.recorded` for many parcels (a bulk shipment): still one read each of hops, orders and SKUs. */
export async function shipmentRecordedEvents(em: EntityManager, catalog: CatalogService, orders: OrdersService, parcels: RecordedParcel[]): Promise<NewOutboxEvent<'shipment.recorded'>[]> {
  const all = parcels.flatMap((parcel) => parcel.lines);
  const hops = hopFactsByLine(await hopPricesOfLines(em, [...new Set(all.map((item) => String(item.line.id)))]));
  const shopOrders = await orders.ordersById(em, [...new Set(all.map((item) => String(item.line.channel_order_id)))]);
  const skus = await catalog.skuLabelsById(all.map((item) => String(item.line.sku_id)));
  // Units ship trial first: a parcel's trial units at a hop are those of the line's trial units it
  // reaches past what shipped before it (parcels of one call follow each other).
  const shippedBefore = new Map<string, number>();
  const parcelHops = (line: RecordedParcel['lines'][number]['line'], quantity: number): SettlementHopFact[] => {
    const before = shippedBefore.get(String(line.id)) ?? line.shipped_quantity;
    shippedBefore.set(String(line.id), before + quantity);
    return (hops.get(String(line.id)) ?? []).map((hop) => {
      const { trialUnits, trialUnitPriceAmount, ...regular } = hop;
      const units = trialUnits ? Math.min(trialUnits, before + quantity) - Math.min(trialUnits, before) : 0;
      return units > 0 ? { ...regular, trialUnits: units, trialUnitPriceAmount } : regular;
    });
  };
  return parcels.map((parcel) => {
    const supplierMerchantId = String(parcel.order.supplier_merchant_id);
    return {
      type: 'shipment.recorded' as const,
      merchantId: supplierMerchantId,
      aggregateId: String(parcel.shipment.id),
      payload: {
        shipmentId: String(parcel.shipment.id),
        fulfillmentOrderId: String(parcel.order.id),
        supplierMerchantId,
        shippedAt: new Date(parcel.shipment.created_at).toISOString(),
        carrierCode: parcel.shipment.carrier_code,
        trackingNumber: parcel.shipment.tracking_number,
        lines: parcel.lines.map(({ line, quantity }) => ({
          fulfillmentOrderLineId: String(line.id),
          channelOrderId: String(line.channel_order_id),
          channelOrderLineId: String(line.channel_order_line_id),
          externalOrderId: shopOrders.get(String(line.channel_order_id))?.external_order_id ?? '',
          skuId: String(line.sku_id),
          skuCode: skus.get(String(line.sku_id))?.code ?? '',
          quantity,
          hops: parcelHops(line, quantity),
        })),
      },
    };
  });
}
