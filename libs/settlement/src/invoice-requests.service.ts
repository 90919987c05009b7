import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, decodeIdCursor, ForbiddenError, isId, money, NotFoundError, Page, sqlOne, sqlRows, toPage, ValidationFailedError } from '@gongxiao/core';
import { assertSide, findVisibleStatement } from './statement-access';
import { StatementNotices } from './statement-notices';
import { InvoiceRequestResponseDto, IssueInvoiceDto, ListInvoiceRequestsQueryDto, RejectInvoiceDto, RequestInvoiceDto } from './statements.dto';
import { isoOf } from './zoned-time';

interface InvoiceRow {
  id: string;
  statement_id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  status: string;
  title: string;
  tax_number: string;
  amount: string;
  currency: string;
  invoice_type: string;
  invoice_number: string | null;
  issued_on: string | null;
  reject_reason: string | null;
  created_at: Date;
}

const INVOICE_COLUMNS = `r.id::text, r.statement_id::text, s.seller_merchant_id::text, s.buyer_merchant_id::text, r.status, r.title, r.tax_number, r.amount::text, r.currency,
  r.invoice_type, r.invoice_number, to_char(r.issued_on, 'YYYY-MM-DD') as issued_on, r.reject_reason, r.created_at`;

/**
 * Invoice requests (开票申请): the payer of a settled statement asks for an invoice of up to what the
 * statement was due, less what it already asked for (rejected requests do not count); the payee
 * issues it with the invoice number, or rejects it with a reason.
 */
@Injectable()
export class InvoiceRequestsService {
  constructor(
    private readonly em: EntityManager,
    private readonly notices: StatementNotices,
  ) {}

  async request(actor: ActorContext, statementId: string, input: RequestInvoiceDto): Promise<InvoiceRequestResponseDto> {
    const id = await this.em.transactional(async (em) => {
      const statement = await findVisibleStatement(em, actor, statementId, true);
      assertSide(actor, statement, 'payer', 'request an invoice for');
      if (statement.status !== 'settled') {
        throw new ConflictError('statement_not_settled', `Invoices are requested for settled statements; this one is ${statement.status}.`, [
          { field: 'statementId', reason: `status is ${statement.status}` },
        ]);
      }
      if (input.amount.currency !== statement.currency) throw ValidationFailedError.field('amount.currency', `must be the statement's currency ${statement.currency}`, 'currency_mismatch');
      const requested = await sqlOne<{ total: string }>(em, `select coalesce(sum(amount), 0)::text as total from invoice_request where statement_id = ? and status <> 'rejected'`, [statement.id]);
      const left = BigInt(statement.due_amount ?? 0) - BigInt(requested!.total);
      if (BigInt(input.amount.amount) > left) throw ValidationFailedError.field('amount.amount', `is more than the statement's due not yet invoiced (${left > 0n ? left : 0n})`, 'invoice_exceeds_due');
      const row = await sqlOne<{ id: string }>(
        em,
        `insert into invoice_request (statement_id, title, tax_number, amount, currency, invoice_type, requested_by_member_id) values (?, ?, ?, ?, ?, ?, ?) returning id::text`,
        [statement.id, input.title, input.taxNumber, input.amount.amount, statement.currency, input.invoiceType, actor.memberId],
      );
      await this.notices.invoice(em, 'invoice.requested', statement.seller_merchant_id, row!.id, statement.id);
      return row!.id;
    });
    return this.get(actor, id);
  }

  async issue(actor: ActorContext, invoiceRequestId: string, input: IssueInvoiceDto): Promise<InvoiceRequestResponseDto> {
    return this.decide(actor, invoiceRequestId, 'issued', 'issue', [`invoice_number = ?, issued_on = ?::date`, [input.invoiceNumber, input.issuedOn]]);
  }

  async reject(actor: ActorContext, invoiceRequestId: string, input: RejectInvoiceDto): Promise<InvoiceRequestResponseDto> {
    return this.decide(actor, invoiceRequestId, 'rejected', 'reject', [`reject_reason = ?`, [input.reason]]);
  }

  async list(actor: ActorContext, query: ListInvoiceRequestsQueryDto): Promise<Page<InvoiceRequestResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const side = query.side === 'receivable' ? 's.seller_merchant_id = ?' : query.side === 'payable' ? 's.buyer_merchant_id = ?' : '? in (s.seller_merchant_id, s.buyer_merchant_id)';
    const rows = await sqlRows<InvoiceRow>(
      this.em,
      `select ${INVOICE_COLUMNS} from invoice_request r join statement s on s.id = r.statement_id where ${side} and (?::bigint is null or r.id < ?::bigint) order by r.id desc limit ?`,
      [actor.merchantId, before, before, limit + 1],
    );
    return toPage(rows, limit, present);
  }

  async get(actor: ActorContext, invoiceRequestId: string): Promise<InvoiceRequestResponseDto> {
    return present(await this.load(actor, invoiceRequestId, this.em));
  }

  private async load(actor: ActorContext, invoiceRequestId: string, em: EntityManager, lock = false): Promise<InvoiceRow> {
    const row = isId(invoiceRequestId)
      ? await sqlOne<InvoiceRow>(
          em,
          `select ${INVOICE_COLUMNS} from invoice_request r join statement s on s.id = r.statement_id where r.id = ? and ? in (s.seller_merchant_id, s.buyer_merchant_id)${lock ? ' for update of r' : ''}`,
          [invoiceRequestId, actor.merchantId],
        )
      : undefined;
    if (!row) throw new NotFoundError('invoice request', invoiceRequestId);
    return row;
  }

  private async decide(actor: ActorContext, invoiceRequestId: string, to: 'issued' | 'rejected', action: string, [set, params]: [string, unknown[]]): Promise<InvoiceRequestResponseDto> {
    await this.em.transactional(async (em) => {
      const row = await this.load(actor, invoiceRequestId, em, true);
      if (row.seller_merchant_id !== actor.merchantId) throw new ForbiddenError(`Only the payee of the statement may ${action} an invoice request.`);
      if (row.status !== 'requested')
        throw new ConflictError('invoice_request_illegal_transition', `Cannot ${action} an invoice request that is ${row.status}.`, [{ field: 'status', reason: `current status is ${row.status}` }]);
      await sqlOne(em, `update invoice_request set status = ?, ${set}, decided_by_member_id = ?, decided_at = now() where id = ? returning id`, [to, ...params, actor.memberId, row.id]);
      await this.notices.invoice(em, to === 'issued' ? 'invoice.issued' : 'invoice.rejected', row.buyer_merchant_id, row.id, row.statement_id);
    });
    return this.get(actor, invoiceRequestId);
  }
}

function present(row: InvoiceRow): InvoiceRequestResponseDto {
  return {
    id: row.id,
    statementId: row.statement_id,
    status: row.status,
    title: row.title,
    taxNumber: row.tax_number,
    amount: money(row.amount, row.currency),
    invoiceType: row.invoice_type,
    invoiceNumber: row.invoice_number,
    issuedOn: row.issued_on,
    rejectReason: row.reject_reason,
    createdAt: isoOf(row.created_at)!,
  };
}
