import { assignMerges, mergeKeyOf, mergeLockOrder, partsOf } from './fulfillment-order-parts';
import { resolvedOrder, warehouseFacts } from './routing-fixtures';
import { PlannedOrder } from './routing.types';

const inbox = warehouseFacts('7', 'supplier');
const merging = warehouseFacts('30', 'supplier', { mergeWindowMinutes: 10 });
const otherMerging = warehouseFacts('4', 'supplier', { mergeWindowMinutes: 10 });

/** An order of one TSHIRT line and one MUG line, shipped from the given warehouses. */
function planned(id: string, tshirtFrom: string, mugFrom: string, consignee: Partial<{ consignee_name: string }> = {}): PlannedOrder {
  const order = resolvedOrder(
    id,
    [
      { skuId: 'tshirt', quantity: 1 },
      { skuId: 'mug', quantity: 2 },
    ],
    consignee,
  );
  return {
    ...order,
    plans: [
      {
        supplierId: 'supplier',
        allocations: [
          { warehouseId: tshirtFrom, lineId: `${id}-1`, skuId: 'tshirt', quantity: 1 },
          { warehouseId: mugFrom, lineId: `${id}-2`, skuId: 'mug', quantity: 2 },
        ],
      },
    ],
  };
}

describe('partsOf', () => {
  it('makes one part per order and warehouse, keeping its allocations together', () => {
    const parts = partsOf([planned('1', '7', '30'), planned('2', '7', '7')], [inbox, merging]);
    expect(parts.map((part) => [part.order.id, part.warehouse.id, part.allocations.map((allocation) => allocation.lineId)])).toEqual([
      ['1', '7', ['1-1']],
      ['1', '30', ['1-2']],
      ['2', '7', ['2-1', '2-2']],
    ]);
  });
});

describe('merge keys', () => {
  it('gives orders to the same consignee at the same warehouse one merge key, and another consignee another', () => {
    const parts = partsOf([planned('1', '30', '30'), planned('2', '30', '30'), planned('3', '30', '30', { consignee_name: '李四' })], [merging]);
    expect(mergeKeyOf(parts[0])).toBe(mergeKeyOf(parts[1]));
    expect(mergeKeyOf(parts[0])).not.toBe(mergeKeyOf(parts[2]));
  });

  it('locks each merging warehouse × consignee once, in warehouse id order (numerically), never inbox warehouses', () => {
    const parts = partsOf([planned('1', '30', '4'), planned('2', '30', '7'), planned('3', '4', '30')], [inbox, merging, otherMerging]);
    expect(mergeLockOrder(parts).map((part) => part.warehouse.id)).toEqual(['4', '30']);
  });
});

describe('assignMerges', () => {
  it('opens one fulfillment order per merge key that later parts of the batch join, and one per part elsewhere', () => {
    const parts = partsOf([planned('1', '30', '7'), planned('2', '30', '7')], [inbox, merging]);
    const { opening, openerOf } = assignMerges(parts, new Map());
    expect(opening.map((part) => [part.order.id, part.warehouse.id])).toEqual([
      ['1', '30'],
      ['1', '7'],
      ['2', '7'],
    ]);
    const secondAtMerging = parts.find((part) => part.order.id === '2' && part.warehouse.id === '30')!;
    expect(openerOf.get(secondAtMerging)).toBe(opening[0]);
  });

  it('adds parts to the fulfillment order already open for their merge key instead of opening one', () => {
    const parts = partsOf([planned('1', '30', '30')], [merging]);
    const { opening, openerOf } = assignMerges(parts, new Map([[mergeKeyOf(parts[0]), '900']]));
    expect(opening).toEqual([]);
    expect(openerOf.size).toBe(0);
  });
});
