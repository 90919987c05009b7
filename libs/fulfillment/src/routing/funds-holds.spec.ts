import { fundsException, holdRequestsOf } from './funds-holds';
import { chainHop, resolvedOrder } from './routing-fixtures';
import { PlannedOrder } from './routing.types';

const chain = [chainHop({ sellerMerchantId: 'broker', buyerMerchantId: 'distributor', priceAmount: 6000 }), chainHop({ sellerMerchantId: 'supplier', buyerMerchantId: 'broker', priceAmount: 5000 })];

function planned(id: string, lines: Parameters<typeof resolvedOrder>[1], allocations: { warehouseId: string; line: number; quantity: number }[]): PlannedOrder {
  const order = resolvedOrder(id, lines);
  return {
    ...order,
    plans: [
      {
        supplierId: 'supplier',
        allocations: allocations.map((item) => ({ warehouseId: item.warehouseId, lineId: `${id}-${item.line}`, skuId: order.lines[item.line - 1].skuId, quantity: item.quantity })),
      },
    ],
  };
}

describe('holdRequestsOf', () => {
  it("adds a line's customization extra to every hop's unit price, trial units' too", () => {
    const order = planned('11', [{ skuId: 'sku-1', quantity: 2, hops: chain }], [{ warehouseId: 'w1', line: 1, quantity: 2 }]);
    order.lines[0].customization = { values: { engraving: 'LOVE' }, key: 'engraving=LOVE', label: '刻字: LOVE', extraAmount: 800 };
    order.trials = new Map([['11-1@w1', [{ hopIndex: 1, units: 1, priceAmount: 2500 }]]]);
    expect(holdRequestsOf([order])[0].lines[0].hops).toEqual([
      expect.objectContaining({ hopIndex: 0, unitPriceAmount: '6800' }),
      expect.objectContaining({ hopIndex: 1, unitPriceAmount: '5800', trialUnits: 1, trialUnitPriceAmount: '3300' }),
    ]);
  });

  it('asks for every hop of a bought line with all its planned units, however many warehouses share them', () => {
    const order = planned(
      '10',
      [{ skuId: 'sku-1', quantity: 5, hops: chain }],
      [
        { warehouseId: 'w1', line: 1, quantity: 3 },
        { warehouseId: 'w2', line: 1, quantity: 2 },
      ],
    );
    expect(holdRequestsOf([order])).toEqual([
      {
        channelOrderId: '10',
        lines: [
          {
            channelOrderLineId: '10-1',
            quantity: 5,
            hops: [
              { hopIndex: 0, sellerMerchantId: 'broker', buyerMerchantId: 'distributor', unitPriceAmount: '6000', currency: 'CNY' },
              { hopIndex: 1, sellerMerchantId: 'supplier', buyerMerchantId: 'broker', unitPriceAmount: '5000', currency: 'CNY' },
            ],
          },
        ],
      },
    ]);
  });

  it('asks nothing for own goods, and leaves out an order of own goods only', () => {
    const mixed = planned(
      '11',
      [
        { skuId: 'own', quantity: 1 },
        { skuId: 'sku-1', quantity: 2, hops: chain },
      ],
      [
        { warehouseId: 'w1', line: 1, quantity: 1 },
        { warehouseId: 'w1', line: 2, quantity: 2 },
      ],
    );
    const own = planned('12', [{ skuId: 'own', quantity: 4 }], [{ warehouseId: 'w1', line: 1, quantity: 4 }]);
    const requests = holdRequestsOf([mixed, own]);
    expect(requests.map((request) => request.channelOrderId)).toEqual(['11']);
    expect(requests[0].lines.map((line) => [line.channelOrderLineId, line.quantity])).toEqual([['11-2', 2]]);
  });
});

describe('fundsException', () => {
  it('names the partnership and the amounts, and keeps the pair a top-up retries', () => {
    const exception = fundsException(
      {
        channelOrderId: '10',
        sellerMerchantId: '7',
        buyerMerchantId: '9',
        currency: 'CNY',
        requiredAmount: '123456',
        availableAmount: '20000',
        shortfallAmount: '103456',
      },
      '9',
    );
    expect(exception).toEqual({
      ok: false,
      code: 'insufficient_funds',
      reason:
        'You lack funds with seller 7: this order needs ¥1,234.56 and ¥200.00 is available (short ¥1,034.56). Top up with that seller or ask it to raise your credit limit; the order is routed again automatically.',
      detail: { sellerMerchantId: '7', buyerMerchantId: '9', currency: 'CNY', requiredAmount: '123456' },
    });
  });

  it('names what the buyer already owes beyond its funds, which the shortfall includes', () => {
    const exception = fundsException(
      {
        channelOrderId: '10',
        sellerMerchantId: '7',
        buyerMerchantId: '9',
        currency: 'CNY',
        requiredAmount: '6000',
        availableAmount: '0',
        shortfallAmount: '15800',
      },
      '9',
    );
    expect(exception.ok === false && exception.reason).toBe(
      'You lack funds with seller 7: this order needs ¥60.00 and ¥0.00 is available, ¥98.00 already owed beyond it (short ¥158.00). Top up with that seller or ask it to raise your credit limit; the order is routed again automatically.',
    );
  });

  it('tells the order’s owner only that someone upstream must settle it when another hop is short (never that hop’s figures)', () => {
    const exception = fundsException(
      { channelOrderId: '10', sellerMerchantId: '7', buyerMerchantId: '8', currency: 'CNY', requiredAmount: '6000', availableAmount: '0', shortfallAmount: '6000' },
      '9',
    );
    expect(exception.ok === false && exception.reason).not.toMatch(/¥|7|8/);
    expect(exception).toEqual(expect.objectContaining({ code: 'insufficient_funds', detail: { sellerMerchantId: '7', buyerMerchantId: '8', currency: 'CNY', requiredAmount: '6000' } }));
  });
});
