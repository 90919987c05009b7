import { EntityManager } from '@mikro-orm/postgresql';
import { NewOutboxEvent } from '@gongxiao/core';
import type { CatalogService } from '@gongxiao/catalog';
import { fulfillmentLinesByIds } from '@gongxiao/fulfillment';
import type { OrdersService } from '@gongxiao/orders';
import type { HopRefund } from './refund-allocation';
import type { CaseHop, ReturnRow } from './return-cases.service';

/**
 * `refund.recorded` for a case's refund: every refunded hop of every line, with the fulfillment and
 * shop order lines it belongs to, the SKU and the units of the case, so that settlement reverses each
 * hop's share from the event alone (one read each of the lines, the shop order and the SKUs). Each
 * refund of a case (the first, each top-up) is its own event, numbered (`refundNo`).
 */
export async function refundRecordedEvent(
  em: EntityManager,
  catalog: CatalogService,
  orders: OrdersService,
  refund: { row: ReturnRow; refundNo: number; refundedAt: Date; hops: CaseHop[]; refunds: HopRefund[] },
): Promise<NewOutboxEvent<'refund.recorded'>> {
  const lines = await fulfillmentLinesByIds(
    em,
    refund.refunds.map((item) => item.lineId),
  );
  const channelOrderId = String(refund.row.channel_order_id);
  const shopOrder = (await orders.ordersById(em, [channelOrderId])).get(channelOrderId);
  const skus = await catalog.skuLabelsById([...lines.values()].map((line) => line.sku_id));
  const unitsOf = new Map(refund.hops.map((hop) => [hop.fulfillment_order_line_id, hop.quantity]));
  return {
    type: 'refund.recorded',
    merchantId: String(refund.row.supplier_merchant_id),
    aggregateId: String(refund.row.id),
    payload: {
      returnRequestId: String(refund.row.id),
      refundNo: refund.refundNo,
      channelOrderId,
      externalOrderId: shopOrder?.external_order_id ?? '',
      refundedAt: new Date(refund.refundedAt).toISOString(),
      refunds: refund.refunds.map((item) => {
        const line = lines.get(item.lineId);
        return {
          fulfillmentOrderId: line?.fulfillment_order_id ?? '',
          fulfillmentOrderLineId: item.lineId,
          channelOrderLineId: line?.channel_order_line_id ?? '',
          skuId: line?.sku_id ?? '',
          skuCode: (line && skus.get(line.sku_id)?.code) ?? '',
          quantity: unitsOf.get(item.lineId) ?? 0,
          hopIndex: item.hopIndex,
          sellerMerchantId: item.sellerMerchantId,
          buyerMerchantId: item.buyerMerchantId,
          amount: item.amount.toString(),
          currency: item.currency.trim(),
        };
      }),
    },
  };
}
