import { allocateProportionally, formatMoney, scaleRounded, UnprocessableError, ValidationFailedError } from '@gongxiao/core';

/**
 * Per-hop refund allocation, a pure function. The supplier refunds its buyer an amount up to what
 * that buyer paid for the units (shared across lines in proportion to what was paid for each);
 * every hop below refunds its own buyer the same fraction of what that buyer paid, rounded to the
 * minor unit (fen), never above it. So a full refund gives everyone back everything they paid,
 * and no hop is ever out of pocket for more than it received.
 *
 * A top-up of a partial refund is the same allocation applied to what is left: each hop's
 * `refunded` so far is taken off what it was paid, the new amount is shared and passed down in
 * proportion to those remainders, so that per hop the refunds together never pass what was paid.
 */

/** What one buyer paid one seller for the units of a case on one line (price × units). */
export interface HopPayment {
  lineId: string;
  hopIndex: number;
  sellerMerchantId: string;
  buyerMerchantId: string;
  paid: bigint;
  currency: string;
  /** Refunded at this hop by earlier refunds of the case (a top-up); 0 for the first refund. */
  refunded?: bigint;
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
 * hop index) is the supplier's. `amount`: what the supplier refunds now; omitted for everything not
 * refunded yet. Returns what each hop refunds now. Throws a domain error for an amount above what
 * the supplier can still refund (422) or in another currency.
 */
export function allocateRefund(supplierMerchantId: string, hops: HopPayment[], amount?: { amount: number; currency: string }): HopRefund[] {
  if (hops.length === 0) {
    // The distributor's own goods: no merchant pays another for them.
    if (amount && amount.amount > 0) throw ValidationFailedError.field('amount.amount', 'must be 0: these are your own goods, nobody paid you for them');
    return [];
  }
  const lineIds = [...new Set(hops.map((hop) => hop.lineId))];
  // What each hop may still refund: paid, less earlier refunds of the case.
  const left = new Map(hops.map((hop) => [hop, hop.paid - (hop.refunded ?? 0n) > 0n ? hop.paid - (hop.refunded ?? 0n) : 0n]));
  const leftOf = (hop: HopPayment) => left.get(hop)!;
  const chains = lineIds.map((lineId) => hops.filter((hop) => hop.lineId === lineId).sort((a, b) => a.hopIndex - b.hopIndex));
  const tops = chains.map((chain) => chain[chain.length - 1]);
  if (tops.some((top) => top.sellerMerchantId !== supplierMerchantId)) throw new Error(`Refund for supplier ${supplierMerchantId}: a line's chain does not end at its supplier`);
  const currency = tops[0].currency;
  const leftToSupplier = tops.reduce((sum, top) => sum + leftOf(top), 0n);
  let parts: bigint[];
  if (amount === undefined) {
    parts = tops.map(leftOf);
  } else {
    if (amount.currency !== currency || tops.some((top) => top.currency !== currency)) {
      throw ValidationFailedError.field('amount.currency', `must be ${currency}, the currency your buyer paid in`);
    }
    if (BigInt(amount.amount) > leftToSupplier) throw exceedsPaid(BigInt(amount.amount), leftToSupplier, tops, currency);
    parts = allocateProportionally(BigInt(amount.amount), tops.map(leftOf));
  }
  // The fraction of a line refunded: its supplier's part over what was paid for it; for goods the
  // supplier gave away (paid 0) the fraction of the whole refund, or everything when in full.
  const fraction = (index: number): [bigint, bigint] => {
    if (leftOf(tops[index]) > 0n) return [parts[index], leftOf(tops[index])];
    if (amount === undefined || leftToSupplier === 0n) return [1n, 1n];
    return [BigInt(amount.amount), leftToSupplier];
  };
  return chains.flatMap((chain, index) =>
    chain.map((hop) => {
      const [numerator, denominator] = fraction(index);
      const scaled = hop === tops[index] ? parts[index] : scaleRounded(leftOf(hop), numerator, denominator);
      return {
        lineId: hop.lineId,
        hopIndex: hop.hopIndex,
        sellerMerchantId: hop.sellerMerchantId,
        buyerMerchantId: hop.buyerMerchantId,
        amount: scaled > leftOf(hop) ? leftOf(hop) : scaled,
        currency: hop.currency,
      };
    }),
  );
}

/** 422 naming the most that can still be refunded, as people read money (¥1,234.56). */
function exceedsPaid(asked: bigint, most: bigint, tops: HopPayment[], currency: string): UnprocessableError {
  const paid = tops.reduce((sum, top) => sum + top.paid, 0n);
  const refunded = tops.reduce((sum, top) => sum + (top.refunded ?? 0n), 0n);
  const so = refunded > 0n ? ` (your buyer paid you ${formatMoney(paid, currency)}, ${formatMoney(refunded, currency)} is refunded already)` : '';
  return new UnprocessableError('refund_exceeds_paid', `A refund of ${formatMoney(asked, currency)} is more than can still be refunded for these units: at most ${formatMoney(most, currency)}${so}.`, [
    { field: 'amount.amount', reason: `at most ${most}` },
  ]);
}
