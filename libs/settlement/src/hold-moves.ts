import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';

/** Units of a line's hold at one hop that shipped (posted) or were cancelled (voided). */
export interface HoldMove {
  sourceKey: string;
  channelOrderLineId: string;
  hopIndex: number;
  quantity: number;
  /** Of `quantity`, the units at the hold's trial price (trial units ship first; cancellations take regular units first). */
  trialQuantity?: number;
}

interface HoldRow {
  channel_order_line_id: string;
  hop_index: number;
  balance_id: string;
  unit_price_amount: string;
  quantity: number;
  posted_quantity: number;
  voided_quantity: number;
  trial_quantity: number;
  trial_unit_price_amount: string;
  posted_trial_quantity: number;
  voided_trial_quantity: number;
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
    `select h.channel_order_line_id::text, h.hop_index, h.balance_id::text, h.unit_price_amount::text, h.quantity, h.posted_quantity, h.voided_quantity,
            h.trial_quantity, h.trial_unit_price_amount::text, h.posted_trial_quantity, h.voided_trial_quantity
       from settlement_hold h where (h.channel_order_line_id, h.hop_index) in (select * from unnest(?::bigint[], ?::int[]))
      order by h.channel_order_line_id, h.hop_index for update`,
    [moves.map((move) => move.channelOrderLineId), moves.map((move) => move.hopIndex)],
  );
  if (holds.length === 0) return 0;
  const done = new Set(
    (await sqlRows<{ source_key: string }>(em, `select source_key from settlement_hold_move where source_key = any(?::text[])`, [moves.map((move) => move.sourceKey)])).map((row) => row.source_key),
  );
  const byKey = new Map(holds.map((hold) => [`${hold.channel_order_line_id}:${hold.hop_index}`, { ...hold }]));
  const applied: (HoldMove & { hold: HoldRow; amount: bigint })[] = [];
  for (const move of moves) {
    const hold = byKey.get(`${move.channelOrderLineId}:${move.hopIndex}`);
    if (!hold || done.has(move.sourceKey)) continue;
    done.add(move.sourceKey);
    const units = unitsToResolve(hold, move);
    if (units.trial + units.regular <= 0) continue;
    if (kind === 'posted') {
      hold.posted_quantity += units.trial + units.regular;
      hold.posted_trial_quantity += units.trial;
    } else {
      hold.voided_quantity += units.trial + units.regular;
      hold.voided_trial_quantity += units.trial;
    }
    const amount = BigInt(units.trial) * BigInt(hold.trial_unit_price_amount) + BigInt(units.regular) * BigInt(hold.unit_price_amount);
    applied.push({ ...move, quantity: units.trial + units.regular, trialQuantity: units.trial, hold, amount });
  }
  if (applied.length === 0) return 0;
  const changed = [...new Set(applied.map((move) => move.hold))];
  await sqlExec(
    em,
    `with moves as (
       insert into settlement_hold_move (source_key, channel_order_line_id, hop_index, kind, quantity)
       select m.source_key, m.line, m.hop, ?, m.quantity from unnest(?::text[], ?::bigint[], ?::int[], ?::int[]) as m(source_key, line, hop, quantity)
     ), holds as (
       update settlement_hold h set posted_quantity = t.posted, voided_quantity = t.voided, posted_trial_quantity = t.posted_trial, voided_trial_quantity = t.voided_trial, updated_at = now()
         from unnest(?::bigint[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[]) as t(line, hop, posted, voided, posted_trial, voided_trial)
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
      changed.map((hold) => hold.posted_trial_quantity),
      changed.map((hold) => hold.voided_trial_quantity),
      applied.map((move) => move.hold.balance_id),
      applied.map((move) => move.amount.toString()),
    ],
  );
  return applied.reduce((sum, move) => sum + move.quantity, 0);
}

/**
 * The units a move resolves of a hold, trial and regular apart, each at most what is still pending
 * of its kind (a move's trial units beyond the hold's pending trial units resolve as regular ones
 * only while regular units are pending, so a hold never resolves more than it holds).
 */
export function unitsToResolve(
  hold: Pick<HoldRow, 'quantity' | 'posted_quantity' | 'voided_quantity' | 'trial_quantity' | 'posted_trial_quantity' | 'voided_trial_quantity'>,
  move: Pick<HoldMove, 'quantity' | 'trialQuantity'>,
): { trial: number; regular: number } {
  const pendingTrial = hold.trial_quantity - hold.posted_trial_quantity - hold.voided_trial_quantity;
  const pendingRegular = hold.quantity - hold.trial_quantity - (hold.posted_quantity - hold.posted_trial_quantity) - (hold.voided_quantity - hold.voided_trial_quantity);
  const askedTrial = Math.min(move.trialQuantity ?? 0, move.quantity);
  const trial = Math.max(0, Math.min(askedTrial, pendingTrial));
  const regular = Math.max(0, Math.min(move.quantity - trial, pendingRegular));
  return { trial, regular };
}
