import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { outboxInsertSql, sqlOne } from '@gongxiao/core';
import { UNSHIPPED_SQL } from './service-standard';

/**
 * Marks fulfillment orders newly past their ship-by (not fully shipped, not cancelled) as announced,
 * and writes one `fulfillment_order.overdue` event per order in the same statement: an order is
 * announced once, however often or concurrently the sweep runs (rows are claimed with SKIP LOCKED
 * and marked only while still unmarked). Reads only the partial index of unshipped orders.
 */
@Injectable()
export class OverdueSweepService {
  constructor(private readonly em: EntityManager) {}

  /** `now` is a parameter so that a story can sweep with a fake clock. Returns the orders marked. */
  async markOverdue(now: Date = new Date(), limit = 1000): Promise<number> {
    const row = await sqlOne<{ marked: string }>(
      this.em,
      `with due as (
         select id from fulfillment_order
          where status in ${UNSHIPPED_SQL} and ship_by is not null and overdue_notified_at is null and ship_by <= ?::timestamptz
          order by ship_by limit ? for update skip locked
       ), marked as (
         update fulfillment_order f set overdue_notified_at = ?::timestamptz
           from due where f.id = due.id and f.overdue_notified_at is null
         returning f.id, f.supplier_merchant_id, f.ship_by
       ), events as (
         ${outboxInsertSql(`select 'fulfillment_order.overdue', m.supplier_merchant_id, m.id::text,
                jsonb_build_object('fulfillmentOrderId', m.id::text, 'shipBy', to_jsonb(m.ship_by))
           from marked m`)}
         returning id
       ), quality as (
         -- The overdue share of a delisting rule changed for the SKUs of these orders.
         ${outboxInsertSql(`select 'sales_quality.changed', m.supplier_merchant_id, 'fulfillment_order:' || m.id,
                jsonb_build_object('skuIds', (select jsonb_agg(distinct l.sku_id::text) from fulfillment_order_line l where l.fulfillment_order_id = m.id))
           from marked m`)}
       )
       select count(*)::text as marked from events`,
      [now.toISOString(), limit, now.toISOString()],
    );
    return Number(row?.marked ?? 0);
  }
}
