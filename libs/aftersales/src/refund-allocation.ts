import { allocateProportionally, DomainError, scaleRounded, ValidationFailedError } from '@gongxiao/core';

/**
 * Per-hop refund allocation, a pure function. The supplier refunds its buyer an amount up to what
 * that buyer paid for the units (shared across lines in proportion to what was paid for each);
 * every hop below refunds its own buyer the same fraction of what that buyer paid, rounded to the
 * minor unit (fen), never above it. So a full refund gives everyone back everything they paid,
 * and no hop is ever out of pocket for more than it received.
 */

/** What one buyer paid one seller for the units of a case on one line (price × units). */
export interface HopPayment {
  lineId: string;
  hopIndex: number;
  sellerMerchantId: string;
  buyerMerchantId: string;
  paid: bigint;
  currency: string;
}

export interface HopRefund {
  lineId: string;
  hopIndex: number;
  sellerMerchantId: string;
  buyerMerchantId: string;
  amount: bigint;
  currency: string;
}

/**
 * `hops`: every hop of every line of the case (any order); the top of each line's chain (highest
 * hop index) is the supplier's. `amount`: what the supplier refunds in all; omitted for everything.
 * Throws a domain error for an amount above what the supplier was paid or in another currency.
 */
export function allocateRefund(supplierMerchantId: string, hops: HopPayment[], amount?: { amount: number; currency: string }): HopRefund[] {
  if (hops.length === 0) {
    // The distributor's own goods: no merchant pays another for them.
    if (amount && amount.amount > 0) throw ValidationFailedError.field('amount.amount', 'must be 0: these are your own goods, nobody paid you for them');
    return [];
  }
  const lineIds = [...new Set(hops.map((hop) => hop.lineId))];
  const chains = lineIds.map((lineId) => hops.filter((hop) => hop.lineId === lineId).sort((a, b) => a.hopIndex - b.hopIndex));
  const tops = chains.map((chain) => chain[chain.length - 1]);
  if (tops.some((top) => top.sellerMerchantId !== supplierMerchantId)) throw new Error(`Refund for supplier ${supplierMerchantId}: a line's chain does not end at its supplier`);
  const currency = tops[0].currency;
  const paidToSupplier = tops.reduce((sum, top) => sum + top.paid, 0n);
  let parts: bigint[];
  if (amount === undefined) {
    parts = tops.map((top) => top.paid);
  } else {
    if (amount.currency !== currency || tops.some((top) => top.currency !== currency)) {
      throw ValidationFailedError.field('amount.currency', `must be ${currency}, the currency your buyer paid in`);
    }
    if (BigInt(amount.amount) > paidToSupplier) {
      throw new DomainError('invalid', 'refund_exceeds_paid', `A refund of ${amount.amount} is more than your buyer paid you for these units (${paidToSupplier}).`, [
        { field: 'amount.amount', reason: `at most ${paidToSupplier}` },
      ]);
    }
    parts = allocateProportionally(
      BigInt(amount.amount),
      tops.map((top) => top.paid),
    );
  }
  // The fraction of a line refunded: its supplier's part over what was paid for it; for goods the
  // supplier gave away (paid 0) the fraction of the whole refund, or everything when in full.
  const fraction = (index: number): [bigint, bigint] => {
    if (tops[index].paid > 0n) return [parts[index], tops[index].paid];
    if (amount === undefined || paidToSupplier === 0n) return [1n, 1n];
    return [BigInt(amount.amount), paidToSupplier];
  };
  return chains.flatMap((chain, index) =>
    chain.map((hop) => {
      const [numerator, denominator] = fraction(index);
      const scaled = hop === tops[index] ? parts[index] : scaleRounded(hop.paid, numerator, denominator);
      return {
        lineId: hop.lineId,
        hopIndex: hop.hopIndex,
        sellerMerchantId: hop.sellerMerchantId,
        buyerMerchantId: hop.buyerMerchantId,
        amount: scaled > hop.paid ? hop.paid : scaled,
        currency: hop.currency,
      };
    }),
  );
}
