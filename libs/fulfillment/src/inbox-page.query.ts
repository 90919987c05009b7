import { UNSHIPPED_SQL } from './service-standards/service-standard';
import type { ListFulfillmentOrdersQueryDto } from './fulfillment.dto';

/**
 * The statement of one page of a supplier's inbox (newest first, keyset-paged by id below
 * `before`), with its parameters. Its own function so that the query-plan spec explains exactly the
 * statement the inbox runs: the first page reads `fulfillment_order_inbox_idx`, a date window
 * `fulfillment_order_supplier_created_idx` (not the whole history of the supplier).
 */
export function inboxPageQuery(supplierMerchantId: string, query: ListFulfillmentOrdersQueryDto, before: string | null, limit: number): { sql: string; params: unknown[] } {
  return {
    sql: `select * from fulfillment_order where supplier_merchant_id = ?
          and (case when ?::text is null then status not in ('pending_merge', 'awaiting_production') else status = ?::text end)
          and (?::bigint is null or warehouse_id = ?::bigint)
          and (?::timestamptz is null or created_at >= ?::timestamptz) and (?::timestamptz is null or created_at < ?::timestamptz)
          and (?::bigint is null or id < ?::bigint)
          and (not ?::boolean or (status in ${UNSHIPPED_SQL} and ship_by is not null and ship_by <= now()))
        order by id desc limit ?`,
    params: [
      supplierMerchantId,
      query.status ?? null,
      query.status ?? null,
      query.warehouseId ?? null,
      query.warehouseId ?? null,
      query.createdFrom ?? null,
      query.createdFrom ?? null,
      query.createdTo ?? null,
      query.createdTo ?? null,
      before,
      before,
      query.overdue === 'true',
      limit,
    ],
  };
}
