import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';

/** Units of a line's hold at one hop that shipped (posted) or were cancelled (voided). */
export interface HoldMove {
  sourceKey: string;
  channelOrderLineId: string;
  hopIndex: number;
  quantity: number;
}

interface HoldRow {
  channel_order_line_id: string;
  hop_index: number;
  balance_id: string;
  unit_price_amount: string;
  quantity: number;
  posted_quantity: number;
  voided_quantity: number;
}

/**
 * Resolves units of holds, each source key once: their balances and then the holds are locked (then the moves already made
 * are read, so a concurrent repeat sees them), each move takes at most what is still pending (a
 * line routed before holds existed has none), and the balances' held amounts fall by what was
 * resolved. A posted hold's amount is charged by the ledger entry of the same shipment, in the same
 * transaction, so what the buyer can spend does not move when a hold is posted.
 */
export async function resolveHolds(em: EntityManager, kind: 'posted' | 'voided', moves: HoldMove[]): Promise<number> {
  if (moves.length === 0) return 0;
  // The holds' balances first, in id order, as everything that writes a balance takes them (placing
  // holds, posting entries): locking the holds first would deadlock with a shipment of the same line.
  await sqlExec(
    em,
    `select b.id from settlement_balance b
      where b.id in (select h.balance_id from settlement_hold h where (h.channel_order_line_id, h.hop_index) in (select * from unnest(?::bigint[], ?::int[])))
      order by b.id for update`,
    [moves.map((move) => move.channelOrderLineId), moves.map((move) => move.hopIndex)],
  );
  const holds = await sqlRows<HoldRow>(
    em,
    `select h.channel_order_line_id::text, h.hop_index, h.balance_id::text, h.unit_price_amount::text, h.quantity, h.posted_quantity, h.voided_quantity
       from settlement_hold h where (h.channel_order_line_id, h.hop_index) in (select * from unnest(?::bigint[], ?::int[]))
      order by h.channel_order_line_id, h.hop_index for update`,
    [moves.map((move) => move.channelOrderLineId), moves.map((move) => move.hopIndex)],
  );
  if (holds.length === 0) return 0;
  const done = new Set(
    (await sqlRows<{ source_key: string }>(em, `select source_key from settlement_hold_move where source_key = any(?::text[])`, [moves.map((move) => move.sourceKey)])).map((row) => row.source_key),
  );
  const byKey = new Map(holds.map((hold) => [`${hold.channel_order_line_id}:${hold.hop_index}`, { ...hold }]));
  const applied: (HoldMove & { hold: HoldRow })[] = [];
  for (const move of moves) {
    const hold = byKey.get(`${move.channelOrderLineId}:${move.hopIndex}`);
    if (!hold || done.has(move.sourceKey)) continue;
    done.add(move.sourceKey);
    const quantity = Math.min(move.quantity, hold.quantity - hold.posted_quantity - hold.voided_quantity);
    if (quantity <= 0) continue;
    if (kind === 'posted') hold.posted_quantity += quantity;
    else hold.voided_quantity += quantity;
    applied.push({ ...move, quantity, hold });
  }
  if (applied.length === 0) return 0;
  const changed = [...new Set(applied.map((move) => move.hold))];
  await sqlExec(
    em,
    `with moves as (
       insert into settlement_hold_move (source_key, channel_order_line_id, hop_index, kind, quantity)
       select m.source_key, m.line, m.hop, ?, m.quantity from unnest(?::text[], ?::bigint[], ?::int[], ?::int[]) as m(source_key, line, hop, quantity)
     ), holds as (
       update settlement_hold h set posted_quantity = t.posted, voided_quantity = t.voided, updated_at = now()
         from unnest(?::bigint[], ?::int[], ?::int[], ?::int[]) as t(line, hop, posted, voided)
        where h.channel_order_line_id = t.line and h.hop_index = t.hop
     )
     update settlement_balance b set held_amount = b.held_amount - t.amount, updated_at = now()
       from (select balance_id, sum(amount) as amount from unnest(?::bigint[], ?::bigint[]) as r(balance_id, amount) group by balance_id) t
      where b.id = t.balance_id`,
    [
      kind,
      applied.map((move) => move.sourceKey),
      applied.map((move) => move.channelOrderLineId),
      applied.map((move) => move.hopIndex),
      applied.map((move) => move.quantity),
      changed.map((hold) => hold.channel_order_line_id),
      changed.map((hold) => hold.hop_index),
      changed.map((hold) => hold.posted_quantity),
      changed.map((hold) => hold.voided_quantity),
      applied.map((move) => move.hold.balance_id),
      applied.map((move) => (BigInt(move.hold.unit_price_amount) * BigInt(move.quantity)).toString()),
    ],
  );
  return applied.reduce((sum, move) => sum + move.quantity, 0);
}
