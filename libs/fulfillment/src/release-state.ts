import { ConflictError } from '@gongxiao/core';

/**
 * A fulfillment order its supplier may not act on yet (acknowledge, ship) is refused with what
 * releases it: the merge window closing, or its made-to-order run being confirmed.
 */
export function assertReleased(status: string): void {
  if (status === 'pending_merge') throw new ConflictError('fulfillment_order_not_released', 'This order is still in its merge window; it is released to you when the window closes.');
  if (status === 'awaiting_production') {
    throw new ConflictError(
      'fulfillment_order_awaiting_production',
      'This order is made to order and waits for its production run: confirm the run (POST /v1/production-runs/{id}/confirm) after its cut-off, and the order is released to be shipped.',
    );
  }
}

/** A made-to-order fulfillment order's run and, once confirmed, the ship date it promised ('YYYY-MM-DD'); nothing for goods from stock. */
export function madeToOrderOf(row: { production_run_id: string | null; promised_ship_date: string | Date | null }): { productionRunId?: string; promisedShipDate?: string | null } {
  if (row.production_run_id === null || row.production_run_id === undefined) return {};
  return { productionRunId: String(row.production_run_id), promisedShipDate: dateText(row.promised_ship_date) };
}

/** A `date` column as 'YYYY-MM-DD' (node-postgres may hand it over as a Date at local midnight). */
export function dateText(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  return `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
}
