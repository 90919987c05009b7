import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { money } from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { monthOf, StatementRow } from './statement-access';
import { statementFigures } from './statement-figures';
import { outstanding } from './statement-totals';
import { StatementResponseDto } from './statements.dto';
import { isoOf } from './zoned-time';

/**
 * A statement as its payee or payer sees it: the frozen totals once its month closed, else the live
 * ones summed from its entries (one statement for the page), with both parties' names.
 */
@Injectable()
export class StatementPresenter {
  constructor(private readonly merchants: MerchantsService) {}

  async present(em: EntityManager, merchantId: string, rows: StatementRow[]): Promise<StatementResponseDto[]> {
    const figures = await statementFigures(em, rows);
    const names = await this.merchants.namesOf([...new Set(rows.flatMap((row) => [row.seller_merchant_id, row.buyer_merchant_id]))]);
    return rows.map((row) => {
      const totals = figures.get(row.id)!;
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
}
