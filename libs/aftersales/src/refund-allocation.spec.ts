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

  it('tops up a partial refund in steps: per hop never above what was paid, the supplier refunds exactly the sum asked, and the rest in full gives everyone everything', () => {
    const steps = casePayments.chain((hops) => fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }).map((shares) => ({ hops, shares })));
    fc.assert(
      fc.property(steps, ({ hops, shares }) => {
        const refundedSoFar = new Map(hops.map((hop) => [hop, 0n]));
        const withRefunded = () => hops.map((hop) => ({ ...hop, refunded: refundedSoFar.get(hop)! }));
        const left = () => topsOf(hops).reduce((sum, top) => sum + top.paid - refundedSoFar.get(top)!, 0n);
        let asked = 0n;
        const record = (refunds: HopRefund[]) => {
          for (const hop of hops) refundedSoFar.set(hop, refundedSoFar.get(hop)! + refundOf(refunds, hop));
        };
        for (const share of shares) {
          const amount = BigInt(Math.floor(Number(left()) * share));
          const refunds = allocateRefund(SUPPLIER, withRefunded(), { amount: Number(amount), currency: 'CNY' });
          expect(topsOf(hops).reduce((sum, top) => sum + refundOf(refunds, top), 0n)).toBe(amount);
          for (const hop of hops) expect(refundOf(refunds, hop) >= 0n).toBe(true);
          record(refunds);
          asked += amount;
          for (const hop of hops) expect(refundedSoFar.get(hop)! <= hop.paid).toBe(true);
          expect(topsOf(hops).reduce((sum, top) => sum + refundedSoFar.get(top)!, 0n)).toBe(asked);
        }
        // One more than is left is refused with the most that can still be refunded; the rest goes through.
        if (left() < 2n ** 53n - 1n) {
          expect(() => allocateRefund(SUPPLIER, withRefunded(), { amount: Number(left()) + 1, currency: 'CNY' })).toThrow(
            expect.objectContaining({ code: 'refund_exceeds_paid', kind: 'unprocessable', details: [{ field: 'amount.amount', reason: `at most ${left()}` }] }) as DomainError,
          );
        }
        record(allocateRefund(SUPPLIER, withRefunded()));
        for (const hop of hops) expect(refundedSoFar.get(hop)).toBe(hop.paid);
      }),
    );
  });

  it('tops up in the proportion of a single refund of the same total, within a fen per hop per step', () => {
    fc.assert(
      fc.property(casePayments, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (hops, first, second) => {
        const line = hops.filter((hop) => hop.lineId === hops[0].lineId);
        const top = topsOf(line)[0];
        if (top.paid === 0n) return;
        const firstAmount = BigInt(Math.floor(Number(top.paid) * first));
        const before = allocateRefund(SUPPLIER, line, { amount: Number(firstAmount), currency: 'CNY' });
        const secondAmount = BigInt(Math.floor(Number(top.paid - firstAmount) * second));
        const after = allocateRefund(
          SUPPLIER,
          line.map((hop) => ({ ...hop, refunded: refundOf(before, hop) })),
          { amount: Number(secondAmount), currency: 'CNY' },
        );
        const once = allocateRefund(SUPPLIER, line, { amount: Number(firstAmount + secondAmount), currency: 'CNY' });
        for (const hop of line) expect(Math.abs(Number(refundOf(before, hop) + refundOf(after, hop) - refundOf(once, hop)))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('says in yuan how much can still be refunded', () => {
    const hops: HopPayment[] = [
      { lineId: '1', hopIndex: 0, sellerMerchantId: 'broker', buyerMerchantId: 'distributor', paid: 800000n, currency: 'CNY', refunded: 400000n },
      { lineId: '1', hopIndex: 1, sellerMerchantId: SUPPLIER, buyerMerchantId: 'broker', paid: 600000n, currency: 'CNY', refunded: 300000n },
    ];
    expect(() => allocateRefund(SUPPLIER, hops, { amount: 300001, currency: 'CNY' })).toThrow('at most ¥3,000.00 (your buyer paid you ¥6,000.00, ¥3,000.00 is refunded already)');
    expect(allocateRefund(SUPPLIER, hops, { amount: 150000, currency: 'CNY' }).map((refund) => refund.amount)).toEqual([200000n, 150000n]);
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
