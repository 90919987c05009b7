import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/**
 * Units of these fulfillment lines that consumers returned and the supplier accepted (or that needed
 * no approval), by line: counted as the return rates count them (cancellations that became returns
 * and undecided cases are not). One statement.
 */
export async function acceptedReturnUnitsOfLines(em: EntityManager, lineIds: string[]): Promise<Map<string, number>> {
  if (lineIds.length === 0) return new Map();
  const rows = await sqlRows<{ line_id: string; returned: number }>(
    em,
    `select rl.fulfillment_order_line_id::text as line_id, sum(rl.quantity)::int as returned
       from return_request_line rl join return_request r on r.id = rl.return_request_id
      where rl.fulfillment_order_line_id = any(?::bigint[]) and r.origin = 'consumer' and r.status in ('approved', 'return_shipped', 'received', 'refunded')
      group by rl.fulfillment_order_line_id`,
    [[...new Set(lineIds)]],
  );
  return new Map(rows.map((row) => [row.line_id, row.returned]));
}
