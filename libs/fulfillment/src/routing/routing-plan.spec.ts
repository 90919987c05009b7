import fc from 'fast-check';
import { CapIndex } from '@gongxiao/availability';
import { chainHop, resolvedOrder, warehouseFacts } from './routing-fixtures';
import { isStockShortage, planBatch, PlanningContext, planOrder, shortageException } from './routing-plan';
import { DefaultRoutingStrategy } from './routing-strategy';
import { StockFigures, stockKey } from './routing.types';

const strategy = new DefaultRoutingStrategy();
const warehouses = [warehouseFacts('1', 'supplier', { province: '浙江省', priority: 10 }), warehouseFacts('2', 'supplier', { province: '广东省', priority: 20 })];
const context = (caps: CapIndex = new Map()): PlanningContext => ({ strategy, warehouses, caps });
const figures = (entries: [string, string, number][]): StockFigures => new Map(entries.map(([warehouseId, skuId, units]) => [stockKey(warehouseId, skuId), units]));

describe('planOrder', () => {
  it('chooses warehouses and takes what the order uses off the stock figures', () => {
    const stock = figures([
      ['1', 'tshirt', 5],
      ['2', 'tshirt', 5],
    ]);
    const outcome = planOrder(resolvedOrder('10', [{ skuId: 'tshirt', quantity: 2 }], { province: '广东省' }), context(), stock);
    expect(outcome.ok && outcome.planned.plans).toEqual([{ supplierId: 'supplier', allocations: [{ warehouseId: '2', lineId: '10-1', skuId: 'tshirt', quantity: 2 }] }]);
    expect(stock).toEqual(
      figures([
        ['1', 'tshirt', 5],
        ['2', 'tshirt', 3],
      ]),
    );
  });

  it('holds an order whose supplier has no active warehouse, worded for own goods or a supplier', () => {
    const stock = figures([]);
    const ownGoods = planOrder(resolvedOrder('10', [{ skuId: 'tshirt', quantity: 1, supplierId: 'distributor' }]), context(), stock);
    expect(ownGoods).toEqual(expect.objectContaining({ ok: false, code: 'no_warehouse', reason: expect.stringContaining('your own goods') }));
    const supplied = planOrder(resolvedOrder('11', [{ skuId: 'tshirt', quantity: 1, supplierId: 'elsewhere' }]), context(), stock);
    expect(supplied).toEqual(expect.objectContaining({ ok: false, code: 'no_warehouse', reason: expect.stringContaining('Ask your supplier') }));
  });

  it('reports a shortage with the line, and leaves the figures as they were', () => {
    const stock = figures([
      ['1', 'tshirt', 1],
      ['2', 'tshirt', 1],
    ]);
    const outcome = planOrder(resolvedOrder('10', [{ skuId: 'tshirt', quantity: 3 }]), context(), stock);
    expect(outcome).toEqual(expect.objectContaining({ ok: false, code: 'stock_insufficient', skuId: 'tshirt', needed: 3, available: 2 }));
    expect(stock).toEqual(
      figures([
        ['1', 'tshirt', 1],
        ['2', 'tshirt', 1],
      ]),
    );
  });

  it("holds an order above a partner's allocation cap along its chain, naming the limit", () => {
    const hops = [chainHop({ sellerMerchantId: 'broker', buyerMerchantId: 'distributor' }), chainHop({ sellerMerchantId: 'supplier', buyerMerchantId: 'broker' })];
    const caps: CapIndex = new Map([['supplier:broker:tshirt', { kind: 'fixed', value: 2 }]]);
    const stock = figures([['1', 'tshirt', 10]]);
    const outcome = planOrder(resolvedOrder('10', [{ skuId: 'tshirt', quantity: 3, hops }]), context(caps), stock);
    expect(outcome).toEqual(expect.objectContaining({ ok: false, code: 'allocation_exceeded', reason: expect.stringContaining('allows 2 now') }));
    expect(stock.get(stockKey('1', 'tshirt'))).toBe(10);
  });
});

describe('shortageException', () => {
  it("shows the supplier's own figure only for own goods, never downstream", () => {
    const stock = figures([['1', 'tshirt', 1]]);
    const own = planOrder(resolvedOrder('10', [{ skuId: 'tshirt', quantity: 3 }]), context(), stock);
    const hops = [chainHop({ sellerMerchantId: 'supplier', buyerMerchantId: 'distributor' })];
    const bought = planOrder(resolvedOrder('11', [{ skuId: 'tshirt', quantity: 3, hops }]), context(), stock);
    if (own.ok || !isStockShortage(own) || bought.ok || !isStockShortage(bought)) throw new Error('expected shortages');
    expect(shortageException(own, 'TSHIRT-M').reason).toBe('Line 1 (CODE-10-1): needs 3 unit(s) of SKU TSHIRT-M, 1 available in your warehouses. Retry the order when the supplier has restocked.');
    expect(shortageException(bought, undefined).reason).toBe(
      'Line 1 (CODE-11-1): needs 3 unit(s) of SKU tshirt; your supply chain does not have that many now. Retry the order when the supplier has restocked.',
    );
  });
});

describe('planBatch', () => {
  it('plans later orders against what earlier ones left, and holds the one that no longer fits', () => {
    const stock = figures([
      ['1', 'tshirt', 3],
      ['2', 'tshirt', 0],
    ]);
    const { planned, held } = planBatch(
      [resolvedOrder('10', [{ skuId: 'tshirt', quantity: 2 }]), resolvedOrder('11', [{ skuId: 'tshirt', quantity: 2 }]), resolvedOrder('12', [{ skuId: 'tshirt', quantity: 1 }])],
      context(),
      stock,
    );
    expect(planned.map((item) => item.order.id)).toEqual(['10', '12']);
    expect([...held.keys()]).toEqual(['11']);
    expect(stock.get(stockKey('1', 'tshirt'))).toBe(0);
  });

  it('never plans more units of a warehouse and SKU than the figures showed, and each order gets what it would get alone after the ones before it', () => {
    const skus = ['a', 'b'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('1', '2'), fc.constantFrom(...skus), fc.nat(8)), { maxLength: 4 }),
        fc.array(fc.array(fc.record({ skuId: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        (stockEntries, orderLines) => {
          const initial = figures(stockEntries);
          const orders = orderLines.map((lines, index) => resolvedOrder(String(index + 1), lines));
          const stock = new Map(initial);
          const { planned, held } = planBatch(orders, context(), stock);
          expect(planned.length + held.size).toBe(orders.length);
          for (const warehouse of warehouses) {
            for (const sku of skus) {
              const taken = planned
                .flatMap((item) => item.plans.flatMap((plan) => plan.allocations))
                .filter((allocation) => allocation.warehouseId === warehouse.id && allocation.skuId === sku)
                .reduce((sum, allocation) => sum + allocation.quantity, 0);
              expect(taken).toBeLessThanOrEqual(Math.max(0, initial.get(stockKey(warehouse.id, sku)) ?? 0));
              expect(stock.get(stockKey(warehouse.id, sku)) ?? 0).toBe((initial.get(stockKey(warehouse.id, sku)) ?? 0) - taken);
            }
          }
          // The same orders planned one by one, each alone against what the earlier ones left.
          const alone = new Map(initial);
          for (const order of orders) {
            const outcome = planOrder(order, context(), alone);
            expect(outcome.ok).toBe(planned.some((item) => item.order.id === order.order.id));
          }
        },
      ),
    );
  });
});
