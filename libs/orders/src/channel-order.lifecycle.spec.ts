import { CHANNEL_ORDER_LIFECYCLE } from './channel-order.lifecycle';

describe('the channel order lifecycle', () => {
  it('routes and holds as exceptions only orders still waiting to be routed', () => {
    expect(CHANNEL_ORDER_LIFECYCLE.sourcesOf('routed')).toEqual(['received']);
    expect(CHANNEL_ORDER_LIFECYCLE.sourcesOf('exception')).toEqual(['received']);
  });

  it('lets shipments move a routed order on, partially and again, until shipped', () => {
    expect(CHANNEL_ORDER_LIFECYCLE.sourcesOf('shipped').sort()).toEqual(['partially_shipped', 'routed']);
    expect(CHANNEL_ORDER_LIFECYCLE.can('partially_shipped', 'partially_shipped')).toBe(true);
    expect(CHANNEL_ORDER_LIFECYCLE.can('received', 'shipped')).toBe(false);
  });

  it('never leaves a shipped or cancelled order, and retries only exceptions', () => {
    for (const to of ['received', 'routed', 'exception', 'partially_shipped', 'shipped', 'cancelled'] as const) {
      expect(CHANNEL_ORDER_LIFECYCLE.can('shipped', to)).toBe(false);
      expect(CHANNEL_ORDER_LIFECYCLE.can('cancelled', to)).toBe(false);
    }
    expect(CHANNEL_ORDER_LIFECYCLE.sourcesOf('received')).toEqual(['exception']);
    expect(() => CHANNEL_ORDER_LIFECYCLE.assert('shipped', 'cancelled', 'cancel')).toThrow();
  });
});
