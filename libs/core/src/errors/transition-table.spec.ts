import { ConflictError, DomainError, HTTP_STATUS_BY_KIND, IllegalTransitionError } from './domain-error';
import { TransitionTable } from './transition-table';

type FulfillmentStatus = 'pending' | 'accepted' | 'shipped' | 'delivered' | 'cancelled';

const fulfillment = new TransitionTable<FulfillmentStatus>('fulfillment order', {
  pending: ['accepted', 'cancelled'],
  accepted: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
});

describe('TransitionTable', () => {
  it('allows exactly the listed moves', () => {
    expect(fulfillment.can('pending', 'accepted')).toBe(true);
    expect(fulfillment.can('accepted', 'shipped')).toBe(true);
    expect(fulfillment.can('accepted', 'cancelled')).toBe(true);
    expect(fulfillment.can('pending', 'shipped')).toBe(false);
    expect(fulfillment.can('shipped', 'cancelled')).toBe(false);
    expect(fulfillment.can('cancelled', 'pending')).toBe(false);
    expect(fulfillment.can('delivered', 'delivered')).toBe(false);
  });

  it('answers false for a state it does not know', () => {
    expect(fulfillment.can('lost' as FulfillmentStatus, 'pending')).toBe(false);
  });

  it('lists the states a target can be reached from', () => {
    expect(fulfillment.sourcesOf('cancelled').sort()).toEqual(['accepted', 'pending']);
    expect(fulfillment.sourcesOf('delivered')).toEqual(['shipped']);
    expect(fulfillment.sourcesOf('pending')).toEqual([]);
  });

  it('lets a legal move through', () => {
    expect(() => fulfillment.assert('accepted', 'shipped', 'ship')).not.toThrow();
  });

  it('refuses an illegal move with a 409 naming the current status', () => {
    let thrown: unknown;
    try {
      fulfillment.assert('shipped', 'cancelled', 'cancel');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IllegalTransitionError);
    expect(thrown).toBeInstanceOf(ConflictError);
    expect(thrown).toBeInstanceOf(DomainError);
    const error = thrown as IllegalTransitionError;
    expect(error.kind).toBe('conflict');
    expect(HTTP_STATUS_BY_KIND[error.kind]).toBe(409);
    expect(error.code).toBe('fulfillment_order_illegal_transition');
    expect(error.message).toBe('Cannot cancel a fulfillment order that is shipped.');
    expect(error.details).toEqual([{ field: 'status', reason: 'current status is shipped' }]);
  });

  it('uses the resource name in the code', () => {
    const statement = new TransitionTable<'draft' | 'issued'>('statement', { draft: ['issued'], issued: [] });
    expect(() => statement.assert('issued', 'draft', 'reopen')).toThrow(
      expect.objectContaining({ code: 'statement_illegal_transition', details: [{ field: 'status', reason: 'current status is issued' }] }),
    );
  });
});
