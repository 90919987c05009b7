import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlExec } from '@gongxiao/core';
import { SubscribableEvent, WebhooksService } from '@gongxiao/webhooks';
import { monthOf, StatementRow } from './statement-access';
import { StatementStatus } from './statement.lifecycle';

const EVENT_OF: Partial<Record<StatementStatus, SubscribableEvent>> = {
  issued: 'statement.issued',
  disputed: 'statement.disputed',
  confirmed: 'statement.confirmed',
  settled: 'statement.settled',
};

/** Every statement move is written down (statement_move) and told to the other side's subscriptions, in the move's transaction. */
@Injectable()
export class StatementNotices {
  constructor(private readonly webhooks: WebhooksService) {}

  async moved(em: EntityManager, row: StatementRow, to: StatementStatus, by: { merchantId: string; memberId: string | null; note?: string | null }, revision: number): Promise<void> {
    await sqlExec(em, `insert into statement_move (statement_id, from_status, to_status, merchant_id, member_id, note) values (?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.status,
      to,
      by.merchantId,
      by.memberId,
      by.note ?? null,
    ]);
    const event = EVENT_OF[to];
    if (!event) return;
    const other = by.merchantId === row.seller_merchant_id ? row.buyer_merchant_id : row.seller_merchant_id;
    await this.webhooks.publish(em, [other], event, row.id, `statement:${row.id}:${to}:${revision}`, () => ({
      statementId: row.id,
      period: monthOf(row.period),
      status: to,
      revision,
      payeeMerchantId: row.seller_merchant_id,
      payerMerchantId: row.buyer_merchant_id,
      currency: row.currency,
    }));
  }

  async invoice(em: EntityManager, event: 'invoice.requested' | 'invoice.issued' | 'invoice.rejected', toMerchantId: string, invoiceRequestId: string, statementId: string): Promise<void> {
    await this.webhooks.publish(em, [toMerchantId], event, invoiceRequestId, `invoice:${invoiceRequestId}:${event}`, () => ({ invoiceRequestId, statementId, event }));
  }
}
