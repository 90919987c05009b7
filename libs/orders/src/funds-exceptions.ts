import { EntityManager } from '@mikro-orm/postgresql';
import { outboxInsertSql, sqlRows } from '@gongxiao/core';
import { CHANNEL_ORDER_LIFECYCLE } from './channel-order.lifecycle';

/** The exception code of an order whose buyer lacked funds with a seller at routing. */
export const INSUFFICIENT_FUNDS = 'insufficient_funds';

/** Whose funds fell short: stored as the exception's detail, so that a top-up finds the orders again. */
export interface FundsExceptionDetail {
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
  /** What the order needs at that hop (minor units), for the short buyer's view of what waits on it. */
  requiredAmount?: string;
}

/** Orders waiting for a buyer's funds with a seller, per `seller:buyer:currency`: how many and what they need together. */
export async function ordersWaitingForFunds(em: EntityManager, buyerOrSellerMerchantId: string): Promise<Map<string, { orders: number; requiredAmount: string }>> {
  const rows = await sqlRows<{ pair: string; orders: number; required: string }>(
    em,
    `select concat_ws(':', exception_detail ->> 'sellerMerchantId', exception_detail ->> 'buyerMerchantId', exception_detail ->> 'currency') as pair,
            count(*)::int as orders, coalesce(sum((exception_detail ->> 'requiredAmount')::bigint), 0)::text as required
       from channel_order
      where status = 'exception' and exception_code = ? and ? in (exception_detail ->> 'sellerMerchantId', exception_detail ->> 'buyerMerchantId')
      group by 1`,
    [INSUFFICIENT_FUNDS, buyerOrSellerMerchantId],
  );
  return new Map(rows.map((row) => [row.pair, { orders: row.orders, requiredAmount: row.required }]));
}

/**
 * A buyer's funds with a seller grew: every order held because they fell short goes back to
 * `received`, and its routing event is written, in one statement. Returns the orders retried. An
 * order that still does not fit is simply held again by routing, with the new figures.
 */
export async function retryFundsExceptions(em: EntityManager, pair: FundsExceptionDetail): Promise<string[]> {
  const rows = await sqlRows<{ id: string }>(
    em,
    `with retried as (
       update channel_order set status = 'received', exception_code = null, exception_reason = null, exception_detail = null, updated_at = now()
        where status = any(?::text[]) and status = 'exception' and exception_code = ?
          and exception_detail ->> 'buyerMerchantId' = ? and exception_detail ->> 'sellerMerchantId' = ? and exception_detail ->> 'currency' = ?
        returning id, merchant_id
     ), events as (
       ${outboxInsertSql(`select 'channel_order.received', merchant_id, id::text, jsonb_build_object('channelOrderId', id::text) from retried`)}
     )
     select id::text from retried order by retried.id`,
    [CHANNEL_ORDER_LIFECYCLE.sourcesOf('received'), INSUFFICIENT_FUNDS, pair.buyerMerchantId, pair.sellerMerchantId, pair.currency],
  );
  return rows.map((row) => row.id);
}
