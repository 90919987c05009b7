import { trialKey } from '@gongxiao/offers';
import { chainHop, resolvedOrder } from './routing-fixtures';
import { PlannedOrder } from './routing.types';
import { allocationKey, assignTrialUnits, TrialFigures, trialTakesOf } from './trial-units';

const chain = [
  chainHop({ offerId: 'o-broker', sellerMerchantId: 'broker', buyerMerchantId: 'distributor', priceAmount: 4000 }),
  chainHop({ offerId: 'o-factory', sellerMerchantId: 'supplier', buyerMerchantId: 'broker', priceAmount: 3000 }),
];

function planned(id: string, quantities: number[], warehouses: { line: number; warehouseId: string; quantity: number }[]): PlannedOrder {
  const order = resolvedOrder(
    id,
    quantities.map((quantity) => ({ skuId: 'sku-1', quantity, hops: chain })),
  );
  return {
    ...order,
    plans: [{ supplierId: 'supplier', allocations: warehouses.map((item) => ({ warehouseId: item.warehouseId, lineId: `${id}-${item.line}`, skuId: 'sku-1', quantity: item.quantity })) }],
  };
}

const figures = (entries: [string, string, number, number][]): TrialFigures =>
  new Map(entries.map(([offerId, buyer, priceAmount, unitsLeft]) => [trialKey(offerId, buyer), { priceAmount, unitsLeft }]));

describe('assignTrialUnits', () => {
  it('gives each hop its own buyer’s trial units, a line straddling the limit, and takes them off the figures', () => {
    const left = figures([
      ['o-broker', 'distributor', 2000, 3],
      ['o-factory', 'broker', 1500, 4],
    ]);
    const order = planned('1', [5], [{ line: 1, warehouseId: 'w1', quantity: 5 }]);
    expect(assignTrialUnits(order, left).get(allocationKey({ lineId: '1-1', warehouseId: 'w1' }))).toEqual([
      { hopIndex: 0, units: 3, priceAmount: 2000 },
      { hopIndex: 1, units: 4, priceAmount: 1500 },
    ]);
    expect([...left.values()].map((allowance) => allowance.unitsLeft)).toEqual([0, 0]);
    // The next order of the batch finds the trial used up.
    expect(assignTrialUnits(planned('2', [1], [{ line: 1, warehouseId: 'w1', quantity: 1 }]), left).size).toBe(0);
  });

  it('fills lines in order and a split line warehouse by warehouse; hops without a trial stay at the regular price', () => {
    const left = figures([['o-factory', 'broker', 1500, 4]]);
    const order = planned(
      '3',
      [3, 2],
      [
        { line: 1, warehouseId: 'w1', quantity: 1 },
        { line: 1, warehouseId: 'w2', quantity: 2 },
        { line: 2, warehouseId: 'w1', quantity: 2 },
      ],
    );
    order.trials = assignTrialUnits(order, left);
    expect(Object.fromEntries(order.trials)).toEqual({
      '3-1@w1': [{ hopIndex: 1, units: 1, priceAmount: 1500 }],
      '3-1@w2': [{ hopIndex: 1, units: 2, priceAmount: 1500 }],
      '3-2@w1': [{ hopIndex: 1, units: 1, priceAmount: 1500 }],
    });
    expect(trialTakesOf([order])).toEqual([
      { offerId: 'o-factory', buyerMerchantId: 'broker', units: 1, priceAmount: 1500 },
      { offerId: 'o-factory', buyerMerchantId: 'broker', units: 2, priceAmount: 1500 },
      { offerId: 'o-factory', buyerMerchantId: 'broker', units: 1, priceAmount: 1500 },
    ]);
  });
});
