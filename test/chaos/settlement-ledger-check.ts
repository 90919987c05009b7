/**
 * The chaos run's settlement invariant, as a pure comparison (so it is tested on its own): the
 * ledger holds exactly what fulfillment shipped and after-sales refunded, each once, whatever was
 * killed on the way. Its inputs are read straight from the tables (a test may read any of them).
 *
 * - every shipment_line × fulfillment_line_hop with a price is exactly one goods entry, of
 *   unit price × quantity (a free hop posts nothing);
 * - every return_refund row with an amount is exactly one refund entry, of that amount;
 * - no other goods or refund entry exists;
 * - every hold's posted quantity is the units shipped at that hop of its line.
 */

/** What a shipped line owes at one hop: shipment_line joined to fulfillment_line_hop. */
export interface ShippedHop {
  shipmentId: string;
  fulfillmentOrderLineId: string;
  channelOrderLineId: string;
  hopIndex: number;
  quantity: number;
  unitPriceAmount: bigint;
}

/** A return_refund row. */
export interface RecordedRefund {
  returnRequestId: string;
  fulfillmentOrderLineId: string;
  hopIndex: number;
  amount: bigint;
  /** 1 for a case's first refund, 2… for its top-ups (absent: 1). */
  refundNo?: number;
}

/** A goods or refund ledger entry. */
export interface PostedEntry {
  sourceKey: string;
  kind: string;
  amount: bigint;
}

export interface HoldState {
  channelOrderLineId: string;
  hopIndex: number;
  quantity: number;
  postedQuantity: number;
}

export interface LedgerCheck {
  problems: string[];
  counts: {
    shippedHops: number;
    goodsEntries: number;
    refundRows: number;
    refundEntries: number;
    holds: number;
    missingGoods: number;
    wrongGoods: number;
    missingRefunds: number;
    wrongRefunds: number;
    unexplainedEntries: number;
    holdsMisposted: number;
  };
}

/** The keys settlement gives these entries (shipment_recorded and refund_recorded's accruals). */
export const goodsKey = (hop: Pick<ShippedHop, 'shipmentId' | 'fulfillmentOrderLineId' | 'hopIndex'>) => `shipment:${hop.shipmentId}:line:${hop.fulfillmentOrderLineId}:hop:${hop.hopIndex}`;
export const refundKey = (refund: Pick<RecordedRefund, 'returnRequestId' | 'fulfillmentOrderLineId' | 'hopIndex' | 'refundNo'>) =>
  `refund:${refund.returnRequestId}:line:${refund.fulfillmentOrderLineId}:hop:${refund.hopIndex}${refund.refundNo && refund.refundNo > 1 ? `:topup:${refund.refundNo}` : ''}`;

export function checkSettlementLedger(input: { shippedHops: ShippedHop[]; refunds: RecordedRefund[]; entries: PostedEntry[]; holds: HoldState[] }): LedgerCheck {
  const problems: string[] = [];
  const entries = input.entries.filter((entry) => entry.kind === 'goods' || entry.kind === 'refund');
  const byKey = new Map<string, PostedEntry[]>();
  for (const entry of entries) byKey.set(entry.sourceKey, [...(byKey.get(entry.sourceKey) ?? []), entry]);
  const explained = new Set<string>();
  const counts = {
    shippedHops: input.shippedHops.length,
    goodsEntries: entries.filter((entry) => entry.kind === 'goods').length,
    refundRows: input.refunds.length,
    refundEntries: entries.filter((entry) => entry.kind === 'refund').length,
    holds: input.holds.length,
    missingGoods: 0,
    wrongGoods: 0,
    missingRefunds: 0,
    wrongRefunds: 0,
    unexplainedEntries: 0,
    holdsMisposted: 0,
  };

  const expectOne = (key: string, kind: string, amount: bigint, missing: 'missingGoods' | 'missingRefunds', wrong: 'wrongGoods' | 'wrongRefunds') => {
    if (amount === 0n) return; // nothing is posted for nothing
    explained.add(key);
    const found = byKey.get(key) ?? [];
    if (found.length === 0) {
      counts[missing]++;
      if (counts[missing] <= 3) problems.push(`no ${kind} entry ${key} (expected ${amount})`);
    } else if (found.length > 1 || found[0].kind !== kind || found[0].amount !== amount) {
      counts[wrong]++;
      if (counts[wrong] <= 3) problems.push(`${kind} entry ${key}: expected one of ${amount}, found ${found.map((entry) => `${entry.kind} ${entry.amount}`).join(', ')}`);
    }
  };
  for (const hop of input.shippedHops) expectOne(goodsKey(hop), 'goods', hop.unitPriceAmount * BigInt(hop.quantity), 'missingGoods', 'wrongGoods');
  for (const refund of input.refunds) expectOne(refundKey(refund), 'refund', refund.amount, 'missingRefunds', 'wrongRefunds');
  const unexplained = entries.filter((entry) => !explained.has(entry.sourceKey));
  counts.unexplainedEntries = unexplained.length;
  if (unexplained.length > 0) problems.push(`${unexplained.length} goods/refund entries no shipment or refund explains, e.g. ${unexplained[0].sourceKey}`);
  if (counts.missingGoods > 3 || counts.wrongGoods > 3) problems.push(`goods: ${counts.missingGoods} missing, ${counts.wrongGoods} wrong in all`);
  if (counts.missingRefunds > 3 || counts.wrongRefunds > 3) problems.push(`refunds: ${counts.missingRefunds} missing, ${counts.wrongRefunds} wrong in all`);

  const shipped = new Map<string, number>();
  for (const hop of input.shippedHops) shipped.set(`${hop.channelOrderLineId}:${hop.hopIndex}`, (shipped.get(`${hop.channelOrderLineId}:${hop.hopIndex}`) ?? 0) + hop.quantity);
  for (const hold of input.holds) {
    const units = shipped.get(`${hold.channelOrderLineId}:${hold.hopIndex}`) ?? 0;
    if (hold.postedQuantity !== units) {
      counts.holdsMisposted++;
      if (counts.holdsMisposted <= 3) problems.push(`hold of line ${hold.channelOrderLineId} hop ${hold.hopIndex}: ${hold.postedQuantity} posted of ${hold.quantity}, but ${units} shipped`);
    }
  }
  if (counts.holdsMisposted > 3) problems.push(`${counts.holdsMisposted} holds posted other than what shipped`);
  return { problems, counts };
}
