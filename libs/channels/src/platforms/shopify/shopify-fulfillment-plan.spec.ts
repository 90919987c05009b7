import { parseLosslessJson } from '@gongxiao/core';
import { fulfillmentOrderLines, fulfillmentPlan, parcelFulfilledAlready } from './shopify-fulfillment-plan';

/** Shaped like the fulfillment_orders.json example of Shopify's REST Admin reference. */
const ANSWER = `{"fulfillment_orders":[
  {"id":1046000789,"shop_id":548380009,"order_id":450789469,"assigned_location_id":24826418,"request_status":"unsubmitted","status":"open",
   "supported_actions":["create_fulfillment","move"],"line_items":[
     {"id":1058737482,"shop_id":548380009,"fulfillment_order_id":1046000789,"quantity":2,"line_item_id":466157049,"inventory_item_id":39072856,"fulfillable_quantity":2,"variant_id":39072856},
     {"id":1058737483,"shop_id":548380009,"fulfillment_order_id":1046000789,"quantity":1,"line_item_id":518995019,"inventory_item_id":49148385,"fulfillable_quantity":1,"variant_id":49148385}]},
  {"id":1046000790,"status":"open","line_items":[{"id":1058737484,"fulfillment_order_id":1046000790,"quantity":3,"line_item_id":466157049,"fulfillable_quantity":3}]},
  {"id":1046000791,"status":"closed","line_items":[{"id":1058737485,"fulfillment_order_id":1046000791,"quantity":5,"line_item_id":703073504,"fulfillable_quantity":0}]}]}`;

const lines = fulfillmentOrderLines(parseLosslessJson(ANSWER));

describe('Shopify fulfillment plan', () => {
  it('reads every fulfillment order line item with its ids as text', () => {
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ fulfillmentOrderId: '1046000789', status: 'open', id: '1058737482', lineItemId: '466157049', fulfillableQuantity: 2 });
  });

  it('takes a line item’s units from the fulfillment orders that carry it, in order', () => {
    expect(
      fulfillmentPlan(lines, [
        { lineNo: 1, externalLineId: '466157049', quantity: 4 },
        { lineNo: 2, externalLineId: '518995019', quantity: 1 },
      ]),
    ).toEqual({
      kind: 'fulfil',
      lineItemsByFulfillmentOrder: [
        {
          fulfillment_order_id: '1046000789',
          fulfillment_order_line_items: [
            { id: '1058737482', quantity: 2 },
            { id: '1058737483', quantity: 1 },
          ],
        },
        { fulfillment_order_id: '1046000790', fulfillment_order_line_items: [{ id: '1058737484', quantity: 2 }] },
      ],
    });
  });

  it('refuses more units than are left to fulfil, and a line without its Shopify id', () => {
    expect(fulfillmentPlan(lines, [{ lineNo: 1, externalLineId: '518995019', quantity: 2 }])).toEqual({ kind: 'impossible', reason: expect.stringContaining('1 of 2 units') });
    expect(fulfillmentPlan(lines, [{ lineNo: 3, externalLineId: null, quantity: 1 }])).toEqual({ kind: 'impossible', reason: expect.stringContaining('Line 3') });
  });

  it('takes a parcel whose line items have nothing left to fulfil as told already', () => {
    expect(fulfillmentPlan(lines, [{ lineNo: 1, externalLineId: '703073504', quantity: 5 }])).toEqual({ kind: 'already_fulfilled' });
  });

  it('finds a standing fulfillment with this tracking number and these line items in the order’s fulfillments', () => {
    // Shaped like the GET /orders/{id}/fulfillments.json example of Shopify's REST Admin reference.
    const fulfillments = (status: string, numbers: string[]) =>
      parseLosslessJson(
        `{"fulfillments":[{"id":255858046,"order_id":450789469,"status":"${status}","tracking_company":"SF Express","tracking_number":${numbers[0] ? `"${numbers[0]}"` : 'null'},
          "tracking_numbers":${JSON.stringify(numbers)},"line_items":[{"id":466157049,"variant_id":39072856,"quantity":1,"sku":"TSHIRT"},{"id":518995019,"quantity":1}]}]}`,
      );
    const shipped = [{ externalLineId: '466157049' }];
    expect(parcelFulfilledAlready(fulfillments('success', ['SF1111111111111']), 'SF1111111111111', shipped)).toBe(true);
    expect(parcelFulfilledAlready(fulfillments('success', ['SF9', 'SF1111111111111']), 'SF1111111111111', [...shipped, { externalLineId: '518995019' }])).toBe(true);
    expect(parcelFulfilledAlready(fulfillments('success', ['SF2222222222222']), 'SF1111111111111', shipped)).toBe(false);
    expect(parcelFulfilledAlready(fulfillments('cancelled', ['SF1111111111111']), 'SF1111111111111', shipped)).toBe(false);
    expect(parcelFulfilledAlready(fulfillments('success', ['SF1111111111111']), 'SF1111111111111', [{ externalLineId: '703073504' }])).toBe(false);
    expect(parcelFulfilledAlready(parseLosslessJson('{"fulfillments":[]}'), 'SF1111111111111', shipped)).toBe(false);
  });
});
