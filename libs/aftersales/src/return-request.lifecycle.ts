import { TransitionTable } from '@gongxiao/core';
import { ReturnStatus } from './returns.dto';

/**
 * The life of a return case. Inside the no-reason window a case opens approved; outside it waits
 * for the supplier. A refund-only case is refunded once approved; goods that come back are
 * refunded after the supplier confirms receipt.
 */
export const RETURN_LIFECYCLE = new TransitionTable<ReturnStatus>('return', {
  pending_approval: ['approved', 'rejected', 'withdrawn'],
  approved: ['return_shipped', 'received', 'refunded', 'withdrawn'],
  return_shipped: ['received'],
  received: ['refunded'],
  rejected: [],
  refunded: [],
  withdrawn: [],
});
