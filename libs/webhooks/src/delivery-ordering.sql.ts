import { outboxInsertSql } from '@gongxiao/core';

/**
 * SQL of delivery ordering: deliveries sharing an ordering key (`w` is the delivery at hand) leave
 * one after another, in the order they were created.
 */

/** Deliveries of one ordering key still to be sent before a later one may leave. */
export const EARLIER_IN_FLIGHT = `exists (select 1 from webhook_delivery e where e.ordering_key = w.ordering_key and e.id < w.id and e.status in ('pending', 'delivering', 'retrying'))`;

/**
 * The next delivery of each ordering key, woken by the one before it (an outbox event of its own).
 * A retrying one is woken too: it was held up behind an earlier one sent again by hand.
 */
export const wakeNextSql = (keys: string) =>
  outboxInsertSql(
    `select 'webhook_delivery.created', n.merchant_id, n.id::text, jsonb_build_object('webhookDeliveryId', n.id::text)
       from (select distinct on (ordering_key) id, merchant_id from webhook_delivery
              where ordering_key = any(${keys}) and status in ('pending', 'retrying') order by ordering_key, id) n`,
  );
