import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { money, sqlRows } from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { monthOf, StatementRow } from './statement-access';
import { ENTRY_SUMS_SQL, outstanding, statementTotals, StatementTotals } from './statement-totals';
import { StatementResponseDto } from './statements.dto';
import { isoOf } from './zoned-time';

interface LiveRow {
  id: string;
  opening: string;
  goods: string;
  shipping: string;
  refunds: string;
  adjustments: string;
  payments: string;
}

/**
 * A statement as its payee or payer sees it: the frozen totals once its month closed, else the live
 * ones summed from its entries (one statement for the page), with both parties' names.
 */
@Injectable()
export class StatementPresenter {
  constructor(private readonly merchants: MerchantsService) {}

  async present(em: EntityManager, merchantId: string, rows: StatementRow[]): Promise<StatementResponseDto[]> {
    const live = await this.liveTotals(
      em,
      rows.filter((row) => row.due_amount === null),
    );
    const names = await this.merchants.namesOf([...new Set(rows.flatMap((row) => [row.seller_merchant_id, row.buyer_merchant_id]))]);
    return rows.map((row) => {
      const totals = live.get(row.id) ?? frozenTotals(row);
      const m = (amount: bigint | string) => money(amount.toString(), row.currency);
      return {
        id: row.id,
        period: monthOf(row.period),
        status: row.status,
        revision: row.revision,
        yourSide: row.seller_merchant_id === merchantId ? 'receivable' : 'payable',
        payee: { merchantId: row.seller_merchant_id, name: names.get(row.seller_merchant_id) ?? '' },
        payer: { merchantId: row.buyer_merchant_id, name: names.get(row.buyer_merchant_id) ?? '' },
        currency: row.currency,
        frozen: row.due_amount !== null,
        openingBalance: m(totals.opening),
        goods: m(totals.goods),
        shipping: m(totals.shipping),
        refunds: m(totals.refunds),
        adjustments: m(totals.adjustments),
        payments: m(totals.payments),
        due: m(totals.due),
        closingBalance: m(totals.closing),
        paid: m(row.paid_amount),
        outstanding: m(outstanding(totals.due, BigInt(row.paid_amount))),
        issuedAt: isoOf(row.issued_at),
        disputedAt: isoOf(row.disputed_at),
        confirmedAt: isoOf(row.confirmed_at),
        settledAt: isoOf(row.settled_at),
      };
    });
  }

  private async liveTotals(em: EntityManager, rows: StatementRow[]): Promise<Map<string, StatementTotals>> {
    if (rows.length === 0) return new Map();
    const sums = await sqlRows<LiveRow>(
      em,
      `select s.id::text,
              coalesce((select p.closing_balance_amount from statement p
                         where p.seller_merchant_id = s.seller_merchant_id and p.buyer_merchant_id = s.buyer_merchant_id and p.currency = s.currency
                           and p.period < s.period and p.closing_balance_amount is not null order by p.period desc limit 1), 0)::text as opening,
              t.goods::text, t.shipping::text, t.refunds::text, t.adjustments::text, t.payments::text
         from statement s
         cross join lateral (select ${ENTRY_SUMS_SQL} from ledger_entry e where e.statement_id = s.id) t
        where s.id = any(?::bigint[])`,
      [rows.map((row) => row.id)],
    );
    return new Map(
      sums.map((sum) => [
        sum.id,
        statementTotals(BigInt(sum.opening), {
          goods: BigInt(sum.goods),
          shipping: BigInt(sum.shipping),
          refunds: BigInt(sum.refunds),
          adjustments: BigInt(sum.adjustments),
          payments: BigInt(sum.payments),
        }),
      ]),
    );
  }
}

function frozenTotals(row: StatementRow): StatementTotals {
  return {
    opening: BigInt(row.opening_balance_amount ?? 0),
    goods: BigInt(row.goods_amount ?? 0),
    shipping: BigInt(row.shipping_amount ?? 0),
    refunds: BigInt(row.refund_amount ?? 0),
    adjustments: BigInt(row.adjustment_amount ?? 0),
    payments: BigInt(row.payment_amount ?? 0),
    due: BigInt(row.due_amount ?? 0),
    closing: BigInt(row.closing_balance_amount ?? 0),
  };
}
