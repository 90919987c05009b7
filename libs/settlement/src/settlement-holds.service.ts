import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlExec } from '@gongxiao/core';
import { BalanceFigures, lockBalances, pairKey } from './balances';
import { FundsShortfall, HoldRequest } from './settlement-holds.types';
import { planHolds } from './hold-plan';

/**
 * Two-phase holds at routing (预存款 / 授信): what each buyer will owe each seller for an order is
 * held against the buyer's balance plus remaining credit, all or nothing per order, in the routing
 * transaction. The balances of the batch are locked in one id order (so concurrent batches cannot
 * deadlock), the pure plan decides which orders fit, and one statement writes the holds and raises
 * the balances' held amounts. A hold is later posted (shipment) or voided (cancellation), once.
 */
@Injectable()
export class SettlementHoldsService {
  /** Holds the orders that fit, in the order given; returns the others' shortfalls by channel order id. */
  async placeHolds(em: EntityManager, requests: HoldRequest[]): Promise<Map<string, FundsShortfall>> {
    const pairs = requests.flatMap((request) =>
      request.lines.flatMap((line) => line.hops.map((hop) => ({ sellerMerchantId: hop.sellerMerchantId, buyerMerchantId: hop.buyerMerchantId, currency: hop.currency }))),
    );
    if (pairs.length === 0) return new Map();
    const balances = await lockBalances(em, pairs);
    const { holds, shortfalls } = planHolds(requests, balances);
    if (holds.length > 0) await writeHolds(em, holds, balances);
    return shortfalls;
  }
}

async function writeHolds(em: EntityManager, holds: ReturnType<typeof planHolds>['holds'], balances: Map<string, BalanceFigures>): Promise<void> {
  await sqlExec(
    em,
    `with inserted as (
       insert into settlement_hold (channel_order_line_id, hop_index, channel_order_id, balance_id, unit_price_amount, quantity, trial_quantity, trial_unit_price_amount)
       select * from unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::bigint[])
       on conflict do nothing
       returning balance_id, unit_price_amount * (quantity - trial_quantity) + trial_unit_price_amount * trial_quantity as amount
     ), raised as (
       update settlement_balance b set held_amount = b.held_amount + t.amount, updated_at = now()
         from (select balance_id, sum(amount) as amount from inserted group by balance_id) t
        where b.id = t.balance_id
       returning b.id
     )
     select count(*) from raised`,
    [
      holds.map((hold) => hold.channelOrderLineId),
      holds.map((hold) => hold.hopIndex),
      holds.map((hold) => hold.channelOrderId),
      holds.map((hold) => balances.get(pairKey(hold))!.id),
      holds.map((hold) => hold.unitPriceAmount),
      holds.map((hold) => hold.quantity),
      holds.map((hold) => hold.trialUnits ?? 0),
      holds.map((hold) => hold.trialUnitPriceAmount ?? '0'),
    ],
  );
}
