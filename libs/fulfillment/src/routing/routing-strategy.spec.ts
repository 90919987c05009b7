import fc from 'fast-check';
import { DefaultRoutingStrategy, normalizeProvince, RoutingItem, RoutingPlan, RoutingWarehouse } from './routing-strategy';

const warehouse = (id: string, province: string, priority: number, available: Record<string, number>): RoutingWarehouse => ({
  id,
  province,
  priority,
  available: new Map(Object.entries(available)),
});
const item = (lineId: string, skuId: string, quantity: number): RoutingItem => ({ lineId, skuId, quantity });
const strategy = new DefaultRoutingStrategy();

function allocationsOf(plan: RoutingPlan) {
  if (!plan.ok) throw new Error(`expected a plan, got a shortage of ${plan.shortSkuId}`);
  return plan.allocations;
}

describe('normalizeProvince', () => {
  it('compares "浙江省", "浙江" and " 浙江 省 " equal, and "Zhejiang Province" with "zhejiang"', () => {
    expect(new Set(['浙江省', '浙江', ' 浙江 省 '].map(normalizeProvince)).size).toBe(1);
    expect(normalizeProvince('Zhejiang Province')).toBe(normalizeProvince('zhejiang'));
    expect(normalizeProvince('广西壮族自治区')).toBe(normalizeProvince('广西'));
  });

  it('compares every spelling platforms write of one province equal, and tells 陕西 from 山西', () => {
    expect(new Set(['Guangdong', 'Guangdong Sheng', 'GD', 'CN20', 'CN-GD', 'CN-44', '广东', '广东省', '440000', '44'].map(normalizeProvince))).toEqual(new Set(['44']));
    expect(normalizeProvince('Shaanxi')).not.toBe(normalizeProvince('山西省'));
    expect(normalizeProvince('Some Province')).toBe(normalizeProvince('some'));
  });
});

describe('DefaultRoutingStrategy', () => {
  it("ships from the consignee's province even when another warehouse has the better priority", () => {
    const plan = strategy.plan({
      consigneeProvince: '广东',
      items: [item('l1', 'tshirt', 1)],
      warehouses: [warehouse('1', '浙江省', 10, { tshirt: 5 }), warehouse('2', '广东省', 20, { tshirt: 5 })],
    });
    expect(allocationsOf(plan)).toEqual([{ warehouseId: '2', lineId: 'l1', skuId: 'tshirt', quantity: 1 }]);
  });

  it('ships an order to "Guangdong" from the 广东省 warehouse, not the better-priority 浙江省 one', () => {
    const plan = strategy.plan({
      consigneeProvince: 'Guangdong',
      items: [item('l1', 'tshirt', 1)],
      warehouses: [warehouse('1', '浙江省', 10, { tshirt: 5 }), warehouse('2', '广东省', 20, { tshirt: 5 })],
    });
    expect(allocationsOf(plan)[0].warehouseId).toBe('2');
  });

  it('takes the lowest priority number when no warehouse is in the consignee province, then the lowest id', () => {
    const request = (warehouses: RoutingWarehouse[]) => ({ consigneeProvince: '云南省', items: [item('l1', 'mug', 2)], warehouses });
    expect(allocationsOf(strategy.plan(request([warehouse('1', '浙江省', 20, { mug: 5 }), warehouse('2', '广东省', 10, { mug: 5 })])))[0].warehouseId).toBe('2');
    expect(allocationsOf(strategy.plan(request([warehouse('9', '浙江省', 10, { mug: 5 }), warehouse('3', '广东省', 10, { mug: 5 })])))[0].warehouseId).toBe('3');
  });

  it('passes over the province warehouse when it cannot ship every line, rather than splitting the parcel', () => {
    const plan = strategy.plan({
      consigneeProvince: '广东省',
      items: [item('l1', 'tshirt', 1), item('l2', 'mug', 3)],
      warehouses: [warehouse('1', '浙江省', 10, { tshirt: 5, mug: 5 }), warehouse('2', '广东省', 20, { tshirt: 5, mug: 2 })],
    });
    expect(allocationsOf(plan).map((allocation) => allocation.warehouseId)).toEqual(['1', '1']);
  });

  it('splits into as few parcels as possible when no warehouse can ship everything, and splits a line by quantity only when it must', () => {
    const plan = strategy.plan({
      consigneeProvince: '浙江省',
      items: [item('l1', 'tshirt', 2), item('l2', 'mug', 1), item('l3', 'honey', 6)],
      warehouses: [warehouse('1', '浙江省', 10, { tshirt: 2, honey: 4 }), warehouse('2', '广东省', 20, { mug: 1, honey: 4 })],
    });
    expect(allocationsOf(plan)).toEqual([
      { warehouseId: '1', lineId: 'l1', skuId: 'tshirt', quantity: 2 },
      { warehouseId: '2', lineId: 'l2', skuId: 'mug', quantity: 1 },
      { warehouseId: '1', lineId: 'l3', skuId: 'honey', quantity: 4 },
      { warehouseId: '2', lineId: 'l3', skuId: 'honey', quantity: 2 },
    ]);
  });

  it('names the SKU that is short, with what is needed and what all warehouses have together', () => {
    const plan = strategy.plan({
      consigneeProvince: '浙江省',
      items: [item('l1', 'tshirt', 1), item('l2', 'mug', 2), item('l3', 'mug', 2)],
      warehouses: [warehouse('1', '浙江省', 10, { tshirt: 1, mug: 1 }), warehouse('2', '广东省', 20, { mug: 2 })],
    });
    expect(plan).toEqual({ ok: false, shortSkuId: 'mug', needed: 4, available: 3 });
  });

  it('ships every unit ordered, never more than a warehouse has, whenever the warehouses together have enough', () => {
    const skus = ['a', 'b', 'c'];
    const arbitraryWarehouse = (id: number) =>
      fc
        .record({
          province: fc.constantFrom('浙江省', '广东省', '云南省'),
          priority: fc.integer({ min: 0, max: 5 }),
          stock: fc.tuple(fc.nat(6), fc.nat(6), fc.nat(6)),
        })
        .map(({ province, priority, stock }) => warehouse(String(id + 1), province, priority, Object.fromEntries(skus.map((sku, index) => [sku, stock[index]]))));
    fc.assert(
      fc.property(
        fc.tuple(arbitraryWarehouse(0), arbitraryWarehouse(1), arbitraryWarehouse(2)),
        fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('浙江', '广东省', '北京市'),
        (warehouses, lines, consigneeProvince) => {
          const items = lines.map((line, index) => item(`l${index}`, line.sku, line.quantity));
          const plan = strategy.plan({ consigneeProvince, items, warehouses });
          const total = (sku: string) => warehouses.reduce((sum, candidate) => sum + (candidate.available.get(sku) ?? 0), 0);
          const needed = (sku: string) => items.filter((candidate) => candidate.skuId === sku).reduce((sum, candidate) => sum + candidate.quantity, 0);
          if (!plan.ok) {
            expect(needed(plan.shortSkuId)).toBeGreaterThan(total(plan.shortSkuId));
            return;
          }
          for (const line of items) {
            expect(plan.allocations.filter((allocation) => allocation.lineId === line.lineId).reduce((sum, allocation) => sum + allocation.quantity, 0)).toBe(line.quantity);
          }
          for (const candidate of warehouses) {
            for (const sku of skus) {
              const taken = plan.allocations.filter((allocation) => allocation.warehouseId === candidate.id && allocation.skuId === sku).reduce((sum, allocation) => sum + allocation.quantity, 0);
              expect(taken).toBeLessThanOrEqual(candidate.available.get(sku) ?? 0);
            }
          }
          expect(plan.allocations.every((allocation) => allocation.quantity > 0)).toBe(true);
        },
      ),
    );
  });
});
