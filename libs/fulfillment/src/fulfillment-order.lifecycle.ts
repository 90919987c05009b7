import { TransitionTable } from '@gongxiao/core';
import { FulfillmentStatus } from './fulfillment.dto';

/** The life of the dropship order one supplier warehouse must ship. */
export const FULFILLMENT_ORDER_LIFECYCLE = new TransitionTable<FulfillmentStatus>('fulfillment order', {
  pending_merge: ['new', 'cancelled'],
  awaiting_production: ['new', 'cancelled'],
  new: ['acknowledged', 'partially_shipped', 'shipped', 'cancelled'],
  acknowledged: ['partially_shipped', 'shipped', 'cancelled'],
  partially_shipped: ['partially_shipped', 'shipped'],
  shipped: [],
  cancelled: [],
});
