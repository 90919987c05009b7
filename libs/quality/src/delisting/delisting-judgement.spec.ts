import fc from 'fast-check';
import { figuresOf, fires, JudgedLine, percentOf } from './delisting-judgement';

const oneUnitOrders = (count: number): JudgedLine[] =>
  Array.from({ length: count }, (_, index) => ({ lineId: String(index + 1), fulfillmentOrderId: String(index + 1), shippedUnits: 1, due: true, late: false }));

describe('delisting judgement', () => {
  it('fires on the 6th return of 100 shipped units at 5 %, not on the 5th', () => {
    const rule = { thresholdBasisPoints: 500, minOrders: 50 };
    expect(fires(figuresOf('return_rate', oneUnitOrders(100), 5), rule)).toBe(false);
    expect(fires(figuresOf('return_rate', oneUnitOrders(100), 6), rule)).toBe(true);
    expect(percentOf(figuresOf('return_rate', oneUnitOrders(100), 6))).toBe(6);
  });

  it('needs minOrders distinct orders in the denominator', () => {
    const lines = oneUnitOrders(49);
    expect(fires(figuresOf('return_rate', lines, 40), { thresholdBasisPoints: 500, minOrders: 50 })).toBe(false);
    // Two lines of one order are one order.
    const twoLinesOneOrder = [...lines, { ...lines[0], lineId: '999' }];
    expect(figuresOf('return_rate', twoLinesOneOrder, 0).orderIds).toHaveLength(49);
  });

  it('counts reviewed lines for bad reviews and due orders for the overdue share', () => {
    const lines: JudgedLine[] = [
      { lineId: '1', fulfillmentOrderId: '10', shippedUnits: 1, due: true, late: true, bad: true },
      { lineId: '2', fulfillmentOrderId: '10', shippedUnits: 1, due: true, late: true, bad: false },
      { lineId: '3', fulfillmentOrderId: '11', shippedUnits: 0, due: true, late: false },
      { lineId: '4', fulfillmentOrderId: '12', shippedUnits: 0, due: false, late: true },
    ];
    expect(figuresOf('bad_review_rate', lines, 0)).toEqual({ numerator: 1, denominator: 2, orderIds: ['10'] });
    expect(figuresOf('overdue_share', lines, 0)).toEqual({ numerator: 1, denominator: 2, orderIds: ['10', '11'] });
  });

  it('fires iff the rate is strictly greater than the threshold and the denominator covers minOrders orders', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        (denominator, thresholdBasisPoints, orders, minOrders) => {
          const figures = (numerator: number) => ({ numerator, denominator, orderIds: Array.from({ length: orders }, (_, index) => String(index)) });
          const rule = { thresholdBasisPoints, minOrders };
          // The first numerator whose rate passes the threshold: at exactly the threshold it does not fire.
          let first = 0;
          while (first / denominator <= thresholdBasisPoints / 10_000 && first <= denominator * 2) first++;
          const atThreshold = (thresholdBasisPoints * denominator) % 10_000 === 0 ? (thresholdBasisPoints * denominator) / 10_000 : undefined;
          if (atThreshold !== undefined) expect(fires(figures(atThreshold), rule)).toBe(false);
          expect(fires(figures(first), rule)).toBe(orders >= minOrders);
          if (first > 0) expect(fires(figures(first - 1), rule)).toBe(false);
          expect(fires({ numerator: first, denominator: 0, orderIds: [] }, rule)).toBe(false);
        },
      ),
    );
  });
});
