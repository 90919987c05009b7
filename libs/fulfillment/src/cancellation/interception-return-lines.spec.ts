import { ShippedLine } from '../after-sales-support';
import { interceptionReturnLines } from './interception-return-lines';

const shipped = (id: string, shippedQuantity: number, returnedQuantity = 0): ShippedLine => ({
  id,
  fulfillment_order_id: 'parcel',
  channel_order_line_id: `channel-${id}`,
  supplier_merchant_id: 'supplier',
  warehouse_id: 'warehouse',
  sku_id: 'sku',
  shipped_quantity: shippedQuantity,
  returned_quantity: returnedQuantity,
  return_window_days: 7,
  window_starts_at: new Date(),
});

describe('interceptionReturnLines', () => {
  const parcel = [shipped('1', 3), shipped('2', 2, 1)];

  it('brings back everything still open of an intercepted parcel, whatever the request asked', () => {
    expect(interceptionReturnLines('intercepted', parcel, [{ lineId: '1', quantity: 1 }])).toEqual([
      { id: '1', quantity: 3 },
      { id: '2', quantity: 1 },
    ]);
  });

  it('has the consumer send back only the units it cancelled after a failed interception', () => {
    expect(interceptionReturnLines('failed', parcel, [{ lineId: '1', quantity: 1 }])).toEqual([{ id: '1', quantity: 1 }]);
  });

  it('covers the whole parcel for a request without recorded units', () => {
    expect(interceptionReturnLines('failed', parcel, [])).toEqual([
      { id: '1', quantity: 3 },
      { id: '2', quantity: 1 },
    ]);
  });

  it('leaves out units already in a case, and opens nothing when every unit is', () => {
    expect(interceptionReturnLines('failed', [shipped('1', 2, 1)], [{ lineId: '1', quantity: 2 }])).toEqual([{ id: '1', quantity: 1 }]);
    expect(interceptionReturnLines('intercepted', [shipped('1', 2, 2)], [])).toEqual([]);
  });
});
