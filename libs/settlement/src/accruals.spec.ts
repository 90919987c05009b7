import { ShipmentRecordedPayload } from '@gongxiao/core';
import { refundReversals, shipmentAccruals } from './accruals';

const hop = (hopIndex: number, seller: string, buyer: string, price: string, fee = '0') => ({
  hopIndex,
  sellerMerchantId: seller,
  buyerMerchantId: buyer,
  unitPriceAmount: price,
  shippingFeeAmount: fee,
  currency: 'CNY',
});

const parcel: ShipmentRecordedPayload = {
  shipmentId: '7',
  fulfillmentOrderId: '3',
  supplierMerchantId: 'A',
  shippedAt: '2026-11-30T10:00:00Z',
  carrierCode: 'SF',
  trackingNumber: 'SF1',
  lines: [
    {
      fulfillmentOrderLineId: '10',
      channelOrderId: '1',
      channelOrderLineId: '100',
      externalOrderId: 'T-1',
      skuId: '5',
      skuCode: 'TEA',
      quantity: 2,
      hops: [hop(0, 'B', 'C', '6000', '800'), hop(1, 'A', 'B', '5000', '500')],
    },
    {
      fulfillmentOrderLineId: '11',
      channelOrderId: '1',
      channelOrderLineId: '101',
      externalOrderId: 'T-1',
      skuId: '6',
      skuCode: 'CUP',
      quantity: 1,
      hops: [hop(0, 'B', 'C', '1000', '1000'), hop(1, 'A', 'B', '700')],
    },
  ],
};

describe('shipment accruals', () => {
  it('accrues each hop’s frozen price × units, keyed per shipment, line and hop', () => {
    const { entries, holdPosts } = shipmentAccruals(parcel);
    const goods = entries.filter((entry) => entry.kind === 'goods');
    expect(goods.map((entry) => [entry.sourceKey, entry.sellerMerchantId, entry.buyerMerchantId, entry.amount])).toEqual([
      ['shipment:7:line:10:hop:0', 'B', 'C', 12000n],
      ['shipment:7:line:10:hop:1', 'A', 'B', 10000n],
      ['shipment:7:line:11:hop:0', 'B', 'C', 1000n],
      ['shipment:7:line:11:hop:1', 'A', 'B', 700n],
    ]);
    expect(holdPosts).toHaveLength(4);
    expect(new Set(entries.map((entry) => entry.sourceKey)).size).toBe(entries.length);
  });

  it('charges each seller’s shipping fee once per parcel and buyer, the highest of its lines', () => {
    const fees = shipmentAccruals(parcel).entries.filter((entry) => entry.kind === 'shipping');
    expect(fees.map((entry) => [entry.sellerMerchantId, entry.buyerMerchantId, entry.amount])).toEqual([
      ['B', 'C', 1000n],
      ['A', 'B', 500n],
    ]);
  });

  it('charges a parcel’s trial units apart at the trial price, and posts the hold with its trial units', () => {
    const trial = {
      ...parcel.lines[0],
      quantity: 3,
      hops: [
        { ...hop(0, 'B', 'C', '6000'), trialUnits: 1, trialUnitPriceAmount: '3000' },
        { ...hop(1, 'A', 'B', '5000'), trialUnits: 3, trialUnitPriceAmount: '2500' },
      ],
    };
    const { entries, holdPosts } = shipmentAccruals({ ...parcel, lines: [trial] });
    expect(entries.map((entry) => [entry.sourceKey, entry.quantity, entry.unitPriceAmount, entry.amount])).toEqual([
      ['shipment:7:line:10:hop:0', 2, 6000n, 12000n],
      ['shipment:7:line:10:hop:0:trial', 1, 3000n, 3000n],
      ['shipment:7:line:10:hop:1:trial', 3, 2500n, 7500n],
    ]);
    expect(holdPosts.map((move) => [move.hopIndex, move.quantity, move.trialQuantity])).toEqual([
      [0, 3, 1],
      [1, 3, 3],
    ]);
  });

  it('accrues nothing for own goods', () => {
    expect(shipmentAccruals({ ...parcel, lines: [{ ...parcel.lines[0], hops: [] }] }).entries).toEqual([]);
  });

  it('reverses a refund at every hop it touches', () => {
    const entries = refundReversals({
      returnRequestId: '9',
      channelOrderId: '1',
      externalOrderId: 'T-1',
      refundedAt: '2026-12-02T00:00:00Z',
      refunds: [
        {
          fulfillmentOrderId: '3',
          fulfillmentOrderLineId: '10',
          channelOrderLineId: '100',
          skuId: '5',
          skuCode: 'TEA',
          quantity: 1,
          hopIndex: 0,
          sellerMerchantId: 'B',
          buyerMerchantId: 'C',
          amount: '6000',
          currency: 'CNY',
        },
        {
          fulfillmentOrderId: '3',
          fulfillmentOrderLineId: '10',
          channelOrderLineId: '100',
          skuId: '5',
          skuCode: 'TEA',
          quantity: 1,
          hopIndex: 1,
          sellerMerchantId: 'A',
          buyerMerchantId: 'B',
          amount: '5000',
          currency: 'CNY',
        },
      ],
    });
    expect(entries.map((entry) => [entry.sourceKey, entry.direction, entry.amount])).toEqual([
      ['refund:9:line:10:hop:0', 'credit', 6000n],
      ['refund:9:line:10:hop:1', 'credit', 5000n],
    ]);
  });

  it('keys each top-up of a refund apart from the first, so every refund of a case posts once', () => {
    const first = {
      returnRequestId: '9',
      channelOrderId: '1',
      externalOrderId: 'T-1',
      refundedAt: '2026-12-02T00:00:00Z',
      refunds: [
        {
          fulfillmentOrderId: '3',
          fulfillmentOrderLineId: '10',
          channelOrderLineId: '100',
          skuId: '5',
          skuCode: 'TEA',
          quantity: 1,
          hopIndex: 0,
          sellerMerchantId: 'B',
          buyerMerchantId: 'C',
          amount: '600',
          currency: 'CNY',
        },
      ],
    };
    const keys = [refundReversals(first), refundReversals({ ...first, refundNo: 1 }), refundReversals({ ...first, refundNo: 2 }), refundReversals({ ...first, refundNo: 3 })].map(
      (entries) => entries[0].sourceKey,
    );
    expect(keys).toEqual(['refund:9:line:10:hop:0', 'refund:9:line:10:hop:0', 'refund:9:line:10:hop:0:topup:2', 'refund:9:line:10:hop:0:topup:3']);
  });
});
