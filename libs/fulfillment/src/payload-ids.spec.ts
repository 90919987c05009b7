import { UnrecoverableError } from '@gongxiao/core';
import { payloadId } from './payload-ids';

describe('payloadId', () => {
  it('passes a well-formed id through', () => {
    expect(payloadId('123', 'fulfillmentOrderId', 'fulfillment_order.released')).toBe('123');
  });

  it('fails for good (no retries) on a missing, non-numeric or non-string id, naming the field', () => {
    for (const value of [undefined, null, '', 'abc', '1; drop table x', 12, '1'.repeat(19)]) {
      expect(() => payloadId(value, 'fulfillmentOrderId', 'fulfillment_order.released')).toThrow(UnrecoverableError);
      expect(() => payloadId(value, 'fulfillmentOrderId', 'fulfillment_order.released')).toThrow(/fulfillment_order\.released payload: fulfillmentOrderId/);
    }
  });
});
