import { TransitionTable } from '@gongxiao/core';

export type ChannelOrderStatus = 'received' | 'routed' | 'exception' | 'partially_shipped' | 'shipped' | 'cancelled';

/**
 * The life of an order a shop pushed. Every status change of a shop order is made by the orders
 * context and checked against this table: set-based changes take their allowed source states from it.
 */
export const CHANNEL_ORDER_LIFECYCLE = new TransitionTable<ChannelOrderStatus>('channel order', {
  received: ['routed', 'exception', 'cancelled'],
  exception: ['received', 'cancelled'],
  routed: ['partially_shipped', 'shipped', 'cancelled'],
  partially_shipped: ['partially_shipped', 'shipped'],
  shipped: [],
  cancelled: [],
});
