import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, decodeIdCursor, Money, money, Page, sqlRows, toPage } from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { ordersWaitingForFunds } from '@gongxiao/orders';
import { PartnershipsService } from '@gongxiao/partnerships';
import { availableFunds, BalanceFigures, BalanceRow } from './balances';
import { BalanceResponseDto, BalanceSide, BalancesQueryDto, FundsWaitingDto } from './settlement.dto';

type ViewRow = BalanceRow;

/** What each counterparty owes the actor (receivable) or the actor owes it (payable), per currency. */
@Injectable()
export class BalancesViewService {
  constructor(
    private readonly em: EntityManager,
    private readonly merchants: MerchantsService,
    private readonly partnerships: PartnershipsService,
  ) {}

  async list(actor: ActorContext, query: BalancesQueryDto): Promise<Page<BalanceResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const column = query.side === 'receivable' ? 'seller_merchant_id' : 'buyer_merchant_id';
    const rows = await sqlRows<ViewRow>(
      this.em,
      `select id::text, seller_merchant_id::text, buyer_merchant_id::text, currency, terms, credit_limit_amount::text, paid_amount::text, charged_amount::text, held_amount::text
         from settlement_balance where ${column} = ? and (?::bigint is null or id > ?::bigint) order by settlement_balance.id limit ?`,
      [actor.merchantId, after, after, limit + 1],
    );
    return this.page(actor, query.side, rows, limit);
  }

  /** One pair's view, for answers of the writes. */
  async one(actor: ActorContext, side: BalanceSide, balanceId: string): Promise<BalanceResponseDto> {
    const rows = await sqlRows<ViewRow>(
      this.em,
      `select id::text, seller_merchant_id::text, buyer_merchant_id::text, currency, terms, credit_limit_amount::text, paid_amount::text, charged_amount::text, held_amount::text
         from settlement_balance where id = ?`,
      [balanceId],
    );
    return (await this.page(actor, side, rows, 1)).data[0];
  }

  private async page(actor: ActorContext, side: BalanceSide, rows: ViewRow[], limit: number): Promise<Page<BalanceResponseDto>> {
    const counterparty = (row: ViewRow) => (side === 'receivable' ? row.buyer_merchant_id : row.seller_merchant_id);
    const names = await this.merchants.namesOf([...new Set(rows.map(counterparty))]);
    const waiting = rows.length > 0 ? await ordersWaitingForFunds(this.em, actor.merchantId) : new Map<string, { orders: number; requiredAmount: string }>();
    const partnerships = await this.partnerships.partnershipsOfPairs(rows.map((row) => ({ upstreamMerchantId: row.seller_merchant_id, downstreamMerchantId: row.buyer_merchant_id })));
    return toPage(rows, limit, (row) => ({
      ...presentBalance(side, counterparty(row), names.get(counterparty(row)) ?? '', row, waiting.get(`${row.seller_merchant_id}:${row.buyer_merchant_id}:${row.currency}`)),
      partnershipId: partnerships.get(`${row.seller_merchant_id}:${row.buyer_merchant_id}`)?.id ?? null,
    }));
  }
}

function presentBalance(
  side: BalanceSide,
  counterpartyMerchantId: string,
  counterpartyName: string,
  row: ViewRow,
  waiting?: { orders: number; requiredAmount: string },
): Omit<BalanceResponseDto, 'partnershipId'> {
  const figures: Pick<BalanceFigures, 'terms' | 'creditLimit' | 'paid' | 'charged' | 'held'> = {
    terms: row.terms,
    creditLimit: BigInt(row.credit_limit_amount),
    paid: BigInt(row.paid_amount),
    charged: BigInt(row.charged_amount),
    held: BigInt(row.held_amount),
  };
  const m = (amount: bigint) => money(amount.toString(), row.currency);
  const balance = figures.paid - figures.charged - figures.held;
  const available = availableFunds(figures);
  return {
    counterpartyMerchantId,
    counterpartyName,
    side,
    currency: row.currency,
    terms: row.terms,
    creditLimit: row.terms === 'on_account' && figures.creditLimit > 0n ? m(figures.creditLimit) : null,
    paid: m(figures.paid),
    charged: m(figures.charged),
    held: m(figures.held),
    balance: m(balance),
    available: available === null ? null : m(available),
    creditUsed: m(row.terms === 'on_account' && balance < 0n ? -balance : 0n),
    waiting: fundsWaiting(waiting, available, m),
  };
}

/** Orders held for this pair's funds, and what must come in for all of them to route. */
function fundsWaiting(waiting: { orders: number; requiredAmount: string } | undefined, available: bigint | null, m: (amount: bigint) => Money): FundsWaitingDto {
  const required = BigInt(waiting?.requiredAmount ?? '0');
  const missing = available === null || required === 0n ? 0n : required - available;
  return { orders: waiting?.orders ?? 0, required: m(required), missing: m(missing > 0n ? missing : 0n) };
}
