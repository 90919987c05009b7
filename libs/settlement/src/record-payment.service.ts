import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, DomainError, decodeIdCursor, money, OutboxService, Page, sqlOne, sqlRows, toPage, ValidationFailedError } from '@gongxiao/core';
import { PartnershipsService } from '@gongxiao/partnerships';
import { lockBalances, pairKey } from './balances';
import { postEntries } from './ledger-postings';
import { lockPeriodsShared } from './periods';
import { findVisibleStatement, assertSide } from './statement-access';
import { StatementNotices } from './statement-notices';
import { settleStatement } from './statement-moves.service';
import { outstanding } from './statement-totals';
import { ListPaymentsQueryDto, PaymentResponseDto, RecordPaymentDto } from './settlement.dto';
import { isoOf } from './zoned-time';

interface PaymentRow {
  id: string;
  kind: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  amount: string;
  currency: string;
  method: string;
  reference: string | null;
  paid_on: string;
  statement_id: string | null;
  ledger_entry_id: string;
  created_at: Date;
}

const PAYMENT_COLUMNS = `p.id::text, p.kind, b.seller_merchant_id::text, b.buyer_merchant_id::text, p.amount::text, p.currency, p.method, p.reference,
  to_char(p.paid_on, 'YYYY-MM-DD') as paid_on, p.statement_id::text, p.ledger_entry_id::text, p.created_at`;

/**
 * Money received, recorded by the payee: a payment against a confirmed statement (at most what is
 * left to pay; paid in full, it is settled) or a top-up of a prepaid balance. Each is one receipt
 * entry (`payment:<id>`), one payment row and a `funds.added` event, in one transaction.
 */
@Injectable()
export class RecordPaymentService {
  constructor(
    private readonly em: EntityManager,
    private readonly partnerships: PartnershipsService,
    private readonly outbox: OutboxService,
    private readonly notices: StatementNotices,
  ) {}

  async record(actor: ActorContext, input: RecordPaymentDto): Promise<PaymentResponseDto> {
    if (input.kind === 'top_up' && input.statementId !== undefined) throw ValidationFailedError.field('statementId', 'top-ups are not against a statement: leave it out');
    const pair = { sellerMerchantId: actor.merchantId, buyerMerchantId: input.buyerMerchantId, currency: input.amount.currency };
    const partnership = (await this.partnerships.partnershipsOfPairs([{ upstreamMerchantId: actor.merchantId, downstreamMerchantId: input.buyerMerchantId }])).get(
      `${actor.merchantId}:${input.buyerMerchantId}`,
    );
    if (!partnership) throw new DomainError('not_found', 'partner_not_found', `Merchant ${input.buyerMerchantId} is not a buyer of yours.`, [{ field: 'buyerMerchantId', reason: 'no partnership' }]);
    if (partnership.currency !== input.amount.currency) throw ValidationFailedError.field('amount.currency', `must be the partnership's currency ${partnership.currency}`, 'currency_mismatch');
    const id = await this.em.transactional(async (em) => {
      // The period lock before the balance, as every posting takes them (else a payment, a shipment and a month close could deadlock).
      await lockPeriodsShared(em, [pair.sellerMerchantId]);
      const balance = (await lockBalances(em, [pair])).get(pairKey(pair))!;
      if (input.kind === 'top_up' && balance.terms !== 'prepaid')
        throw new ConflictError('not_prepaid', 'Top-ups are for prepaid terms only: this buyer is on account.', [{ field: 'kind', reason: 'terms are on_account' }]);
      const statement = input.kind === 'payment' ? await this.payable(em, actor, input) : null;
      const paymentId = (await sqlOne<{ id: string }>(em, `select nextval(pg_get_serial_sequence('settlement_payment', 'id'))::text as id`))!.id;
      const [entry] = await postEntries(em, [
        {
          sourceKey: `payment:${paymentId}`,
          kind: input.kind,
          direction: 'receipt',
          ...pair,
          amount: BigInt(input.amount.amount),
          occurredAt: new Date(),
          reason: input.reference,
          memberId: actor.memberId,
        },
      ]);
      await sqlOne(
        em,
        `insert into settlement_payment (id, balance_id, kind, amount, currency, method, reference, paid_on, statement_id, ledger_entry_id, recorded_by_member_id)
         values (?, ?, ?, ?, ?, ?, ?, ?::date, ?, ?, ?) returning id`,
        [paymentId, balance.id, input.kind, input.amount.amount, pair.currency, input.method, input.reference, input.paidOn, statement?.id ?? null, entry.id, actor.memberId],
      );
      if (statement) {
        const paid = BigInt(statement.paid_amount) + BigInt(input.amount.amount);
        await sqlOne(em, `update statement set paid_amount = ?, updated_at = now() where id = ? returning id`, [paid.toString(), statement.id]);
        if (paid >= BigInt(statement.due_amount ?? 0))
          await settleStatement(em, this.notices, statement, { merchantId: actor.merchantId, memberId: actor.memberId, note: `payment ${paymentId}` }, false);
      }
      await this.outbox.append(em, [{ type: 'funds.added', merchantId: pair.buyerMerchantId, aggregateId: balance.id, payload: pair }]);
      return paymentId;
    });
    return (await this.rows(actor, `p.id = ?`, [id]))[0];
  }

  async list(actor: ActorContext, query: ListPaymentsQueryDto): Promise<Page<PaymentResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const column = query.side === 'payable' ? 'b.buyer_merchant_id' : 'b.seller_merchant_id';
    const rows = await this.rows(actor, `${column} = ? and (?::bigint is null or p.id < ?::bigint) order by p.id desc limit ?`, [actor.merchantId, before, before, limit + 1]);
    return toPage(rows, limit, (row) => row);
  }

  /** The confirmed statement of this payee and buyer, locked, with room for the amount. */
  private async payable(em: EntityManager, actor: ActorContext, input: RecordPaymentDto) {
    const statement = await findVisibleStatement(em, actor, input.statementId!, true);
    assertSide(actor, statement, 'payee', 'record a payment against');
    if (statement.buyer_merchant_id !== input.buyerMerchantId) throw ValidationFailedError.field('statementId', 'is a statement of another buyer');
    if (statement.currency !== input.amount.currency) throw ValidationFailedError.field('amount.currency', `must be the statement's currency ${statement.currency}`, 'currency_mismatch');
    if (statement.status !== 'confirmed') {
      throw new ConflictError('statement_not_confirmed', `Payments are recorded against a confirmed statement; this one is ${statement.status}.`, [
        { field: 'statementId', reason: `status is ${statement.status}` },
      ]);
    }
    const left = outstanding(BigInt(statement.due_amount ?? 0), BigInt(statement.paid_amount));
    if (BigInt(input.amount.amount) > left) throw ValidationFailedError.field('amount.amount', `is more than what is left to pay on the statement (${left})`, 'payment_exceeds_due');
    return statement;
  }

  private async rows(actor: ActorContext, where: string, params: unknown[]): Promise<PaymentResponseDto[]> {
    const rows = await sqlRows<PaymentRow>(
      this.em,
      `select ${PAYMENT_COLUMNS} from settlement_payment p join settlement_balance b on b.id = p.balance_id
        where ? in (b.seller_merchant_id, b.buyer_merchant_id) and ${where}`,
      [actor.merchantId, ...params],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      sellerMerchantId: row.seller_merchant_id,
      buyerMerchantId: row.buyer_merchant_id,
      amount: money(row.amount, row.currency),
      method: row.method,
      reference: row.reference,
      paidOn: row.paid_on,
      statementId: row.statement_id,
      ledgerEntryId: row.ledger_entry_id,
      createdAt: isoOf(row.created_at)!,
    }));
  }
}
