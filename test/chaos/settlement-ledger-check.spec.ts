import { checkSettlementLedger, goodsKey, PostedEntry, refundKey, ShippedHop } from './settlement-ledger-check';

/** A parcel of 3 units over a two-hop chain, and a refund of it at both hops. */
const shippedHops: ShippedHop[] = [
  { shipmentId: '7', fulfillmentOrderLineId: '70', channelOrderLineId: '700', hopIndex: 0, quantity: 3, unitPriceAmount: 500n },
  { shipmentId: '7', fulfillmentOrderLineId: '70', channelOrderLineId: '700', hopIndex: 1, quantity: 3, unitPriceAmount: 400n },
];
const refunds = [
  { returnRequestId: '9', fulfillmentOrderLineId: '70', hopIndex: 0, amount: 500n },
  { returnRequestId: '9', fulfillmentOrderLineId: '70', hopIndex: 1, amount: 400n },
];
const entries: PostedEntry[] = [
  { sourceKey: goodsKey(shippedHops[0]), kind: 'goods', amount: 1500n },
  { sourceKey: goodsKey(shippedHops[1]), kind: 'goods', amount: 1200n },
  { sourceKey: refundKey(refunds[0]), kind: 'refund', amount: 500n },
  { sourceKey: refundKey(refunds[1]), kind: 'refund', amount: 400n },
  { sourceKey: 'shipment:7:shipping:2:1:CNY', kind: 'shipping', amount: 800n },
];
const holds = [
  { channelOrderLineId: '700', hopIndex: 0, quantity: 5, postedQuantity: 3 },
  { channelOrderLineId: '700', hopIndex: 1, quantity: 5, postedQuantity: 3 },
];

describe('the chaos run’s settlement check', () => {
  it('passes a ledger that has each shipment and refund once, and holds posted as shipped', () => {
    const check = checkSettlementLedger({ shippedHops, refunds, entries, holds });
    expect(check.problems).toEqual([]);
    expect(check.counts).toMatchObject({ shippedHops: 2, goodsEntries: 2, refundRows: 2, refundEntries: 2, holds: 2 });
  });

  it('expects a top-up of a refund under its own key, beside the first', () => {
    const topUp = { ...refunds[0], amount: 300n, refundNo: 2 };
    expect(refundKey(topUp)).toBe('refund:9:line:70:hop:0:topup:2');
    expect(checkSettlementLedger({ shippedHops, refunds: [...refunds, topUp], entries, holds }).counts.missingRefunds).toBe(1);
    const posted = [...entries, { sourceKey: refundKey(topUp), kind: 'refund', amount: 300n }];
    expect(checkSettlementLedger({ shippedHops, refunds: [...refunds, topUp], entries: posted, holds }).problems).toEqual([]);
  });

  it('passes an empty ledger when nothing shipped (and expects nothing of a free hop)', () => {
    expect(checkSettlementLedger({ shippedHops: [], refunds: [], entries: [], holds: [] }).problems).toEqual([]);
    expect(checkSettlementLedger({ shippedHops: [{ ...shippedHops[0], unitPriceAmount: 0n }], refunds: [], entries: [], holds: [] }).problems).toEqual([]);
  });

  it('names a missing entry, a wrong amount, a doubled entry, an entry nothing explains and a hold posted other than shipped', () => {
    expect(checkSettlementLedger({ shippedHops, refunds, entries: entries.slice(1), holds }).counts.missingGoods).toBe(1);
    expect(checkSettlementLedger({ shippedHops, refunds, entries: [{ ...entries[0], amount: 1400n }, ...entries.slice(1)], holds }).counts.wrongGoods).toBe(1);
    expect(checkSettlementLedger({ shippedHops, refunds, entries: [...entries, { ...entries[2] }], holds }).counts.wrongRefunds).toBe(1);
    expect(checkSettlementLedger({ shippedHops, refunds: refunds.slice(1), entries, holds }).counts.unexplainedEntries).toBe(1);
    expect(checkSettlementLedger({ shippedHops, refunds: refunds.slice(0, 1), entries: entries.filter((entry) => entry !== entries[3]), holds }).problems).toEqual([]);
    const misposted = checkSettlementLedger({ shippedHops, refunds, entries, holds: [{ ...holds[0], postedQuantity: 6 }, holds[1]] });
    expect(misposted.counts.holdsMisposted).toBe(1);
    expect(misposted.problems).toEqual(['hold of line 700 hop 0: 6 posted of 5, but 3 shipped']);
  });
});
