import fc from 'fast-check';
import { DomainError } from '@gongxiao/core';
import { allocateRefund, HopPayment, HopRefund } from './refund-allocation';

const SUPPLIER = 'supplier';

/**
 * A case's chains: per line, hop 0 (the distributor pays the broker next to it) up to the top hop
 * (a broker, or the distributor, pays the supplier), each with what its buyer paid for the units.
 */
const casePayments = fc.array(fc.array(fc.bigInt({ min: 0n, max: 5_000_000n }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }).map((lines): HopPayment[] =>
  lines.flatMap((paidPerHop, line) =>
    paidPerHop.map((paid, hopIndex) => ({
      lineId: String(100 + line),
      hopIndex,
      sellerMerchantId: hopIndex === paidPerHop.length - 1 ? SUPPLIER : `broker-${hopIndex + 1}`,
      buyerMerchantId: hopIndex === 0 ? 'distributor' : `broker-${hopIndex}`,
      paid,
      currency: 'CNY',
    })),
  ),
);

const topsOf = (hops: HopPayment[]) => [...new Set(hops.map((hop) => hop.lineId))].map((lineId) => hops.filter((hop) => hop.lineId === lineId).sort((a, b) => b.hopIndex - a.hopIndex)[0]);
const paidToSupplier = (hops: HopPayment[]) => topsOf(hops).reduce((sum, top) => sum + top.paid, 0n);
const refundOf = (refunds: HopRefund[], hop: HopPayment) => refunds.find((refund) => refund.lineId === hop.lineId && refund.hopIndex === hop.hopIndex)!.amount;
/** A case with an amount the supplier may refund: 0 up to what it was paid. */
const caseWithAmount = casePayments.chain((hops) => fc.bigInt({ min: 0n, max: paidToSupplier(hops) }).map((amount) => ({ hops, amount: Number(amount) })));

/** The simple model: a hop refunds its buyer the fraction refunded of its line, of what that buyer paid. */
const modelRefund = (hop: HopPayment, linePart: bigint, linePaid: bigint): number => (linePaid === 0n ? 0 : (Number(hop.paid) * Number(linePart)) / Number(linePaid));

describe('allocateRefund', () => {
  it('never refunds a buyer more than it paid, in whole minor units, one refund per hop', () => {
    fc.assert(
      fc.property(caseWithAmount, ({ hops, amount }) => {
        const refunds = allocateRefund(SUPPLIER, hops, { amount, currency: 'CNY' });
        expect(refunds).toHaveLength(hops.length);
        for (const hop of hops) {
          const refunded = refundOf(refunds, hop);
          expect(typeof refunded).toBe('bigint');
          expect(refunded >= 0n && refunded <= hop.paid).toBe(true);
        }
      }),
    );
  });

  it('has the supplier refund exactly the amount, shared across lines within a fen of their share', () => {
    fc.assert(
      fc.property(caseWithAmount, ({ hops, amount }) => {
        const refunds = allocateRefund(SUPPLIER, hops, { amount, currency: 'CNY' });
        const tops = topsOf(hops);
        expect(tops.reduce((sum, top) => sum + refundOf(refunds, top), 0n)).toBe(BigInt(amount));
        const total = paidToSupplier(hops);
        for (const top of tops) {
          const share = total === 0n ? 0 : (Number(top.paid) * amount) / Number(total);
          expect(Math.abs(Number(refundOf(refunds, top)) - share)).toBeLessThan(1);
        }
      }),
    );
  });

  it('gives everyone back everything they paid on a full refund, with or without an amount', () => {
    fc.assert(
      fc.property(casePayments, (hops) => {
        for (const refunds of [allocateRefund(SUPPLIER, hops), allocateRefund(SUPPLIER, hops, { amount: Number(paidToSupplier(hops)), currency: 'CNY' })]) {
          for (const hop of hops) expect(refundOf(refunds, hop)).toBe(hop.paid);
        }
      }),
    );
  });

  it('follows the model on each hop of a one-line case: the same fraction, rounded to the fen', () => {
    fc.assert(
      fc.property(caseWithAmount, ({ hops, amount }) => {
        const line = hops.filter((hop) => hop.lineId === hops[0].lineId);
        const top = topsOf(line)[0];
        const capped = Math.min(amount, Number(top.paid));
        const refunds = allocateRefund(SUPPLIER, line, { amount: capped, currency: 'CNY' });
        for (const hop of line) {
          if (top.paid === 0n) continue;
          expect(Math.abs(Number(refundOf(refunds, hop)) - modelRefund(hop, BigInt(capped), top.paid))).toBeLessThanOrEqual(0.5);
        }
      }),
    );
  });

  it('refunds no hop of a line less when the supplier refunds more', () => {
    fc.assert(
      fc.property(casePayments, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (hops, first, second) => {
        const line = hops.filter((hop) => hop.lineId === hops[0].lineId);
        const paid = Number(topsOf(line)[0].paid);
        const [smaller, larger] = [Math.floor(paid * Math.min(first, second)), Math.floor(paid * Math.max(first, second))];
        const low = allocateRefund(SUPPLIER, line, { amount: smaller, currency: 'CNY' });
        const high = allocateRefund(SUPPLIER, line, { amount: larger, currency: 'CNY' });
        for (const hop of line) expect(refundOf(low, hop) <= refundOf(high, hop)).toBe(true);
        const all = (refunds: HopRefund[]) => refunds.filter((refund) => refund.sellerMerchantId === SUPPLIER).reduce((sum, refund) => sum + refund.amount, 0n);
        expect(all(low) <= all(high)).toBe(true);
      }),
    );
  });

  it('refuses more than the supplier was paid, another currency, and money for the distributor’s own goods', () => {
    const hops: HopPayment[] = [
      { lineId: '1', hopIndex: 0, sellerMerchantId: 'broker', buyerMerchantId: 'distributor', paid: 8000n, currency: 'CNY' },
      { lineId: '1', hopIndex: 1, sellerMerchantId: SUPPLIER, buyerMerchantId: 'broker', paid: 6000n, currency: 'CNY' },
    ];
    expect(() => allocateRefund(SUPPLIER, hops, { amount: 6001, currency: 'CNY' })).toThrow(expect.objectContaining({ code: 'refund_exceeds_paid' }) as DomainError);
    expect(() => allocateRefund(SUPPLIER, hops, { amount: 100, currency: 'USD' })).toThrow(expect.objectContaining({ code: 'validation_failed' }) as DomainError);
    expect(() => allocateRefund(SUPPLIER, [], { amount: 1, currency: 'CNY' })).toThrow(expect.objectContaining({ code: 'validation_failed' }) as DomainError);
    expect(allocateRefund(SUPPLIER, [])).toEqual([]);
    // Half of what the supplier was paid: the broker refunds half of what the distributor paid it.
    expect(allocateRefund(SUPPLIER, hops, { amount: 3000, currency: 'CNY' }).map((refund) => refund.amount)).toEqual([4000n, 3000n]);
  });
});
