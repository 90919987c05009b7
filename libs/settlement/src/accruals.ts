import type { RefundRecordedPayload, ShipmentRecordedPayload } from '@gongxiao/core';
import { HoldMove } from './hold-moves';
import { NewEntry } from './ledger-entry.types';

/**
 * What a shipped parcel accrues, per hop: the hop's frozen price × the units in the parcel, owed by
 * the hop's buyer to its seller (its trial units at the trial price, in an entry of their own keyed
 * `…:hop:<n>:trial`); and each seller's shipping fee once per parcel and buyer (the
 * highest fee among the parcel's lines it sold to that buyer). Keys are (shipment, line, hop) and
 * (shipment, seller, buyer): the same parcel accrues once however often it is told.
 */
export function shipmentAccruals(shipment: ShipmentRecordedPayload): { entries: NewEntry[]; holdPosts: HoldMove[] } {
  const occurredAt = new Date(shipment.shippedAt);
  const entries: NewEntry[] = [];
  const holdPosts: HoldMove[] = [];
  const fees = new Map<string, NewEntry>();
  for (const line of shipment.lines) {
    for (const hop of line.hops) {
      const key = `shipment:${shipment.shipmentId}:line:${line.fulfillmentOrderLineId}:hop:${hop.hopIndex}`;
      const detail = {
        occurredAt,
        sellerMerchantId: hop.sellerMerchantId,
        buyerMerchantId: hop.buyerMerchantId,
        currency: hop.currency,
        channelOrderId: line.channelOrderId,
        externalOrderId: line.externalOrderId,
        fulfillmentOrderId: shipment.fulfillmentOrderId,
        shipmentId: shipment.shipmentId,
      };
      // Trial units (五折试销) are charged apart, at the trial price: each entry has one unit price.
      const trialUnits = Math.min(line.quantity, Math.max(0, hop.trialUnits ?? 0));
      const goods = (sourceKey: string, quantity: number, unitPrice: bigint): NewEntry => ({
        ...detail,
        sourceKey,
        kind: 'goods',
        direction: 'charge',
        amount: unitPrice * BigInt(quantity),
        fulfillmentOrderLineId: line.fulfillmentOrderLineId,
        channelOrderLineId: line.channelOrderLineId,
        skuId: line.skuId,
        skuCode: line.skuCode,
        quantity,
        unitPriceAmount: unitPrice,
      });
      if (line.quantity > trialUnits) entries.push(goods(key, line.quantity - trialUnits, BigInt(hop.unitPriceAmount)));
      if (trialUnits > 0) entries.push(goods(`${key}:trial`, trialUnits, BigInt(hop.trialUnitPriceAmount ?? '0')));
      holdPosts.push({ sourceKey: key, channelOrderLineId: line.channelOrderLineId, hopIndex: hop.hopIndex, quantity: line.quantity, trialQuantity: trialUnits });
      const fee = BigInt(hop.shippingFeeAmount || '0');
      const feeKey = `shipment:${shipment.shipmentId}:shipping:${hop.sellerMerchantId}:${hop.buyerMerchantId}:${hop.currency}`;
      if (fee > 0n && fee > (fees.get(feeKey)?.amount ?? 0n)) {
        fees.set(feeKey, { ...detail, sourceKey: feeKey, kind: 'shipping', direction: 'charge', amount: fee, quantity: 1, unitPriceAmount: fee });
      }
    }
  }
  return { entries: [...entries, ...fees.values()], holdPosts };
}

/**
 * A refund reverses, at each hop it touches, what that hop's seller refunds its buyer. Keys are
 * (case, line, hop) for a case's first refund and (case, line, hop, top-up n) for each top-up, so
 * every refund of a case posts once.
 */
export function refundReversals(refund: RefundRecordedPayload): NewEntry[] {
  const occurredAt = new Date(refund.refundedAt);
  const topUp = refund.refundNo && refund.refundNo > 1 ? `:topup:${refund.refundNo}` : '';
  return refund.refunds.map((row) => ({
    sourceKey: `refund:${refund.returnRequestId}:line:${row.fulfillmentOrderLineId}:hop:${row.hopIndex}${topUp}`,
    kind: 'refund',
    direction: 'credit',
    sellerMerchantId: row.sellerMerchantId,
    buyerMerchantId: row.buyerMerchantId,
    currency: row.currency,
    amount: BigInt(row.amount),
    occurredAt,
    channelOrderId: refund.channelOrderId,
    externalOrderId: refund.externalOrderId,
    fulfillmentOrderId: row.fulfillmentOrderId,
    fulfillmentOrderLineId: row.fulfillmentOrderLineId,
    channelOrderLineId: row.channelOrderLineId,
    returnRequestId: refund.returnRequestId,
    skuId: row.skuId,
    skuCode: row.skuCode,
    quantity: row.quantity,
  }));
}
