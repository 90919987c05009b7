import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/**
 * The shop's own order number (the channel order's external order id) of any channel orders by
 * id, for other contexts' sheets (the supplier's 店铺订单号): one statement per batch of ids, and
 * nothing else of the order (no amounts, no raw payload).
 */
export async function externalOrderIdsById(em: EntityManager, channelOrderIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(channelOrderIds.map(String))];
  if (unique.length === 0) return new Map();
  const rows = await sqlRows<{ id: string; external_order_id: string }>(em, `select id::text, external_order_id from channel_order where id = any(?::bigint[])`, [unique]);
  return new Map(rows.map((row) => [row.id, row.external_order_id]));
}
