import fc from 'fast-check';
import { FulfillmentStatus } from '../fulfillment.dto';
import { planBulkShipments } from './bulk-shipment-plan';
import { BulkShipmentRow, PlanLine, PlannedParcel, PlanState } from './bulk-shipment.types';

/** An in-memory model of the orders: what applying a plan does to them (what the writer does in SQL). */
function applyPlan(state: PlanState, parcels: PlannedParcel[], nextId: () => string): PlanState {
  const lines = new Map([...state.lines].map(([orderId, ofOrder]) => [orderId, ofOrder.map((line) => ({ ...line }))]));
  const orders = new Map([...state.orders].map(([id, order]) => [id, { ...order }]));
  const shipments = [...state.shipments];
  for (const parcel of parcels) {
    for (const item of parcel.lines) lines.get(parcel.orderId)!.find((line) => line.id === item.lineId)!.shipped += item.quantity;
    const done = lines.get(parcel.orderId)!.every((line) => line.shipped + line.cancelled === line.quantity);
    orders.get(parcel.orderId)!.status = done ? 'shipped' : 'partially_shipped';
    shipments.push({ id: nextId(), orderId: parcel.orderId, carrierCode: parcel.carrierCode, trackingNumber: parcel.trackingNumber, lines: parcel.lines });
  }
  return { orders, lines, shipments };
}

const state = (orders: { id: string; status: FulfillmentStatus; lines: Omit<PlanLine, 'orderId'>[] }[]): PlanState => ({
  orders: new Map(orders.map((order) => [order.id, { id: order.id, status: order.status }])),
  lines: new Map(orders.map((order) => [order.id, order.lines.map((line) => ({ ...line, orderId: order.id }))])),
  shipments: [],
});

const lineArbitrary = fc
  .record({
    skuCode: fc.constantFrom('A', 'B', 'C'),
    quantity: fc.integer({ min: 1, max: 5 }),
    shippedShare: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(5) }),
    cancelledShare: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(5) }),
  })
  .map(({ skuCode, quantity, shippedShare, cancelledShare }) => {
    const shipped = Math.min(shippedShare, quantity);
    return { skuCode, quantity, shipped, cancelled: Math.min(cancelledShare, quantity - shipped) };
  });
const ordersArbitrary = fc
  .array(
    fc.record({
      status: fc.constantFrom<FulfillmentStatus>('new', 'acknowledged', 'partially_shipped', 'new', 'new', 'acknowledged', 'cancelled', 'pending_merge'),
      lines: fc.array(lineArbitrary, { minLength: 1, maxLength: 4 }),
    }),
    {
      minLength: 1,
      maxLength: 3,
    },
  )
  .map((orders) => orders.map((order, index) => ({ id: String(index + 1), status: order.status, lines: order.lines.map((line, number) => ({ ...line, id: `${index + 1}0${number}` })) })));
/** Mostly plausible rows (so that parcels get recorded), with every kind of mistake now and then. */
const rowArbitrary: fc.Arbitrary<BulkShipmentRow> = fc
  .record({
    fulfillmentOrderId: fc.oneof({ weight: 9, arbitrary: fc.constantFrom('1', '2', '3') }, { weight: 1, arbitrary: fc.constant('999') }),
    parcel: fc.oneof(
      // Each order's own parcels (the tracking number carries the order id), sometimes one number for two orders.
      {
        weight: 9,
        arbitrary: fc.constantFrom(['SF', 'SF10000000000{o}1'], ['顺丰', 'SF10000000000{o}2'], ['ZTO', '7310000000{o}01'], ['中通', '7310000000{o}02'], ['sf express', 'sf 1000 0000 0{o}03']),
      },
      { weight: 1, arbitrary: fc.constantFrom(['SF', 'SF100000000999'], ['nosuch', 'SF100000000001'], ['SF', '73100000000001'], ['ZTO', 'BAD']) },
    ),
    skuCode: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('A', 'B', 'C', 'a') }, { weight: 1, arbitrary: fc.constant('Z') }, { weight: 2, arbitrary: fc.constant(undefined) }),
    quantity: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom<number | string>(0, 'x', '2', 7) },
    ),
  })
  .map(({ fulfillmentOrderId, parcel, skuCode, quantity }) => ({
    fulfillmentOrderId,
    carrier: parcel[0],
    trackingNumber: parcel[1].replace('{o}', fulfillmentOrderId.slice(-1)),
    skuCode,
    quantity,
  }));

describe('planBulkShipments', () => {
  it('never lets shipped units exceed what was ordered (less cancelled), and applying twice equals applying once', () => {
    let withParcels = 0;
    fc.assert(
      fc.property(ordersArbitrary, fc.array(rowArbitrary, { maxLength: 10 }), fc.constantFrom<'zh-CN' | 'en'>('zh-CN', 'en'), (orders, rows, language) => {
        let id = 0;
        const nextId = () => String(++id);
        const before = state(orders);
        const first = planBulkShipments(rows, before, language);
        for (const parcel of first.parcels) {
          expect(['cancelled', 'pending_merge']).not.toContain(before.orders.get(parcel.orderId)!.status);
          for (const item of parcel.lines) expect(item.quantity).toBeGreaterThan(0);
        }
        if (first.parcels.length > 0) withParcels++;
        const once = applyPlan(before, first.parcels, nextId);
        for (const lines of once.lines.values()) for (const line of lines) expect(line.shipped + line.cancelled).toBeLessThanOrEqual(line.quantity);
        // Every row has an outcome; the rows of each parcel are the ones planned to apply.
        expect(first.rows).toHaveLength(rows.length);
        const planned = new Set(first.parcels.flatMap((parcel) => parcel.rows));
        first.rows.forEach((row, index) => expect(row.status === 'apply').toBe(planned.has(index)));
        for (const row of first.rows) if (row.status === 'rejected') expect(row.reason.length).toBeGreaterThan(0);

        const second = planBulkShipments(rows, once, language);
        expect(second.parcels).toEqual([]);
        const twice = applyPlan(once, second.parcels, nextId);
        expect(twice).toEqual(once);
        // What was applied the first time is "unchanged" the second time, with its shipment.
        first.rows.forEach((row, index) => {
          if (row.status === 'apply') expect(second.rows[index]).toEqual({ status: 'unchanged', shipmentId: expect.any(String) });
        });
      }),
      { numRuns: 500 },
    );
    // The runs are not vacuous: many of them record parcels.
    expect(withParcels).toBeGreaterThan(100);
  });

  const simple = () =>
    state([
      {
        id: '1',
        status: 'new',
        lines: [
          { id: '11', skuCode: 'TSHIRT-M', quantity: 3, shipped: 0, cancelled: 0 },
          { id: '12', skuCode: 'MUG-350', quantity: 2, shipped: 0, cancelled: 1 },
        ],
      },
    ]);

  it('groups rows with the same order, carrier and tracking number into one parcel, any spelling of the carrier', () => {
    const plan = planBulkShipments(
      [
        { fulfillmentOrderId: '1', carrier: '顺丰', trackingNumber: 'sf100000000001', skuCode: 'TSHIRT-M', quantity: 2 },
        { fulfillmentOrderId: '1', carrier: 'SF Express', trackingNumber: 'SF 1000 0000 0001', skuCode: 'mug-350' },
        { fulfillmentOrderId: '1', carrier: 'ZTO', trackingNumber: '73100000000001' },
      ],
      simple(),
      'en',
    );
    expect(plan.rows).toEqual([{ status: 'apply' }, { status: 'apply' }, { status: 'apply' }]);
    expect(plan.parcels).toEqual([
      {
        orderId: '1',
        carrierCode: 'SF',
        trackingNumber: 'SF100000000001',
        rows: [0, 1],
        lines: [
          { lineId: '11', quantity: 2 },
          { lineId: '12', quantity: 1 },
        ],
      },
      { orderId: '1', carrierCode: 'ZTO', trackingNumber: '73100000000001', rows: [2], lines: [{ lineId: '11', quantity: 1 }] },
    ]);
  });

  it('counts the other rows of the upload against what is left, and says so', () => {
    const plan = planBulkShipments(
      [
        { fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000001', skuCode: 'TSHIRT-M', quantity: 2 },
        { fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000002', skuCode: 'TSHIRT-M', quantity: 2, rowNumber: 7 },
        { fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000003', skuCode: 'MUG-350', quantity: 2 },
      ],
      simple(),
      'en',
    );
    expect(plan.rows).toEqual([
      { status: 'apply' },
      { status: 'rejected', reason: '2 unit(s) of TSHIRT-M but only 1 remain to ship (ordered 3, 2 in other rows of this upload)' },
      { status: 'rejected', reason: '2 unit(s) of MUG-350 but only 1 remain to ship (ordered 2)' },
    ]);
  });

  it('refuses a parcel already recorded with other contents, naming both', () => {
    const recorded = { ...simple(), shipments: [{ id: '900', orderId: '1', carrierCode: 'SF', trackingNumber: 'SF100000000001', lines: [{ lineId: '11', quantity: 1 }] }] };
    const plan = planBulkShipments([{ fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000001', skuCode: 'TSHIRT-M', quantity: 2 }], recorded, 'zh-CN');
    expect(plan.rows).toEqual([{ status: 'rejected', reason: '包裹 SF100000000001 已录入，内容不同：已录入 TSHIRT-M×1，本次 TSHIRT-M×2' }]);
    expect(planBulkShipments([{ fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000001', skuCode: 'TSHIRT-M', quantity: 1 }], recorded, 'zh-CN').rows).toEqual([
      { status: 'unchanged', shipmentId: '900' },
    ]);
  });

  it('refuses a fully cancelled line as "cancelled: do not ship", and a row without SKU beside rows with one', () => {
    const cancelled = state([
      {
        id: '1',
        status: 'acknowledged',
        lines: [
          { id: '11', skuCode: 'MUG-350', quantity: 2, shipped: 0, cancelled: 2 },
          { id: '12', skuCode: 'TSHIRT-M', quantity: 1, shipped: 0, cancelled: 0 },
        ],
      },
    ]);
    const plan = planBulkShipments(
      [
        { fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000001', skuCode: 'MUG-350' },
        { fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000002', skuCode: 'TSHIRT-M' },
        { fulfillmentOrderId: '1', carrier: 'SF', trackingNumber: 'SF100000000002' },
      ],
      cancelled,
      'zh-CN',
    );
    expect(plan.rows.map((row) => (row.status === 'rejected' ? row.reason : row.status))).toEqual([
      '已取消 请勿发货：商品 MUG-350 已被消费者取消',
      '未导入：同一包裹的第 3 条有错误（不填商品编码的行表示发出该单剩余的全部商品，不能与填写了商品编码的行共用一个快递单号），整个包裹不发货',
      '不填商品编码的行表示发出该单剩余的全部商品，不能与填写了商品编码的行共用一个快递单号',
    ]);
    expect(plan.parcels).toEqual([]);
  });
});
