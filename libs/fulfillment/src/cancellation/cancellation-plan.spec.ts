import fc from 'fast-check';
import { DomainError } from '@gongxiao/core';
import { PlanChannelLine, PlanFulfillmentLine, planCancellation, unitsToCancel } from './cancellation-plan';

const fulfillmentLine = (overrides: Partial<PlanFulfillmentLine> & Pick<PlanFulfillmentLine, 'id' | 'fulfillment_order_id' | 'channel_order_line_id'>): PlanFulfillmentLine => ({
  sku_id: 'sku-1',
  quantity: 1,
  shipped_quantity: 0,
  cancelled_quantity: 0,
  returned_quantity: 0,
  ...overrides,
});

describe('unitsToCancel', () => {
  const lines: PlanChannelLine[] = [
    { id: '11', line_no: 1, quantity: 3, cancelled_quantity: 1 },
    { id: '12', line_no: 2, quantity: 2, cancelled_quantity: 0 },
  ];

  it('asks for every unit not yet cancelled when the whole order is cancelled', () => {
    expect(unitsToCancel(lines, {})).toEqual(
      new Map([
        ['11', 2],
        ['12', 2],
      ]),
    );
  });

  it('takes the lines asked for, all that is left of a line when no quantity is given', () => {
    expect(unitsToCancel(lines, { lines: [{ lineNo: 2, quantity: 1 }, { lineNo: 1 }] })).toEqual(
      new Map([
        ['12', 1],
        ['11', 2],
      ]),
    );
  });

  it('names the field at fault: an unknown line, a line twice, more than is left', () => {
    expect(() => unitsToCancel(lines, { lines: [{ lineNo: 3 }] })).toThrow(expect.objectContaining({ code: 'validation_failed' }) as DomainError);
    expect(() => unitsToCancel(lines, { lines: [{ lineNo: 1 }, { lineNo: 1 }] })).toThrow(expect.objectContaining({ code: 'validation_failed' }) as DomainError);
    expect(() => unitsToCancel(lines, { lines: [{ lineNo: 1, quantity: 3 }] })).toThrow(expect.objectContaining({ code: 'cancel_exceeds_order' }) as DomainError);
    expect(() => unitsToCancel([{ id: '11', line_no: 1, quantity: 1, cancelled_quantity: 1 }], { lines: [{ lineNo: 1 }] })).toThrow(
      expect.objectContaining({ code: 'cancel_exceeds_order' }) as DomainError,
    );
  });
});

describe('planCancellation', () => {
  it('cancels what has not shipped and asks to intercept what has, per parcel', () => {
    // Shop line 11 was split over two parcels: 2 units not shipped in parcel A, 3 shipped in parcel B.
    const plan = planCancellation(new Map([['11', 4]]), [
      fulfillmentLine({ id: '2', fulfillment_order_id: 'B', channel_order_line_id: '11', quantity: 3, shipped_quantity: 3 }),
      fulfillmentLine({ id: '1', fulfillment_order_id: 'A', channel_order_line_id: '11', quantity: 2, sku_id: 'sku-a' }),
    ]);
    expect(plan.cancelled).toEqual([{ fulfillmentOrderLineId: '1', fulfillmentOrderId: 'A', channelOrderLineId: '11', skuId: 'sku-a', quantity: 2 }]);
    expect(plan.interceptions).toEqual([{ fulfillmentOrderId: 'B', lines: [{ lineId: '2', quantity: 2 }] }]);
    expect(plan.touchedFulfillmentOrderIds).toEqual(['A']);
  });

  it('asks no interception for shipped units already coming back in a return case', () => {
    const plan = planCancellation(new Map([['11', 2]]), [fulfillmentLine({ id: '1', fulfillment_order_id: 'A', channel_order_line_id: '11', quantity: 2, shipped_quantity: 2, returned_quantity: 2 })]);
    expect(plan).toEqual({ cancelled: [], interceptions: [], touchedFulfillmentOrderIds: [] });
  });

  it('cancels unshipped units first, intercepts only what they cannot cover, never beyond what is open or shipped and not returned', () => {
    const line = fc.record({
      quantity: fc.integer({ min: 1, max: 6 }),
      shipped: fc.nat(6),
      cancelled: fc.nat(6),
      returned: fc.nat(6),
      parcel: fc.constantFrom('A', 'B', 'C'),
      channelLine: fc.constantFrom('11', '12'),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.nat(20), fc.nat(20), (drawn, wanted11, wanted12) => {
        const lines = drawn.map((item, index): PlanFulfillmentLine => {
          const shipped = Math.min(item.shipped, item.quantity);
          const cancelled = Math.min(item.cancelled, item.quantity - shipped);
          return fulfillmentLine({
            id: String(index + 1),
            fulfillment_order_id: item.parcel,
            channel_order_line_id: item.channelLine,
            quantity: item.quantity,
            shipped_quantity: shipped,
            cancelled_quantity: cancelled,
            returned_quantity: Math.min(item.returned, shipped),
          });
        });
        const wanted = new Map([
          ['11', wanted11],
          ['12', wanted12],
        ]);
        const plan = planCancellation(wanted, lines);
        for (const target of lines) {
          const cancelled = plan.cancelled.filter((units) => units.fulfillmentOrderLineId === target.id).reduce((sum, units) => sum + units.quantity, 0);
          const intercepted = plan.interceptions.flatMap((parcel) => parcel.lines.filter((item) => item.lineId === target.id)).reduce((sum, item) => sum + item.quantity, 0);
          expect(cancelled).toBeLessThanOrEqual(target.quantity - target.shipped_quantity - target.cancelled_quantity);
          expect(intercepted).toBeLessThanOrEqual(target.shipped_quantity - target.returned_quantity);
          // Interceptions name the line's own parcel.
          for (const parcel of plan.interceptions) if (parcel.lines.some((item) => item.lineId === target.id)) expect(parcel.fulfillmentOrderId).toBe(target.fulfillment_order_id);
        }
        for (const [channelLineId, asked] of wanted) {
          const own = lines.filter((item) => item.channel_order_line_id === channelLineId);
          const open = own.reduce((sum, item) => sum + item.quantity - item.shipped_quantity - item.cancelled_quantity, 0);
          const interceptable = own.reduce((sum, item) => sum + item.shipped_quantity - item.returned_quantity, 0);
          const cancelled = plan.cancelled.filter((units) => units.channelOrderLineId === channelLineId).reduce((sum, units) => sum + units.quantity, 0);
          const intercepted = plan.interceptions
            .flatMap((parcel) => parcel.lines)
            .filter((item) => own.some((line) => line.id === item.lineId))
            .reduce((sum, item) => sum + item.quantity, 0);
          // Unshipped units go first; only what they cannot cover is intercepted, up to what can be.
          expect(cancelled).toBe(Math.min(asked, open));
          expect(intercepted).toBe(Math.min(asked - cancelled, interceptable));
        }
        expect(plan.touchedFulfillmentOrderIds.sort()).toEqual([...new Set(plan.cancelled.map((units) => units.fulfillmentOrderId))].sort());
      }),
    );
  });
});
