import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, decodeIdCursor, Page, PageQueryDto, ReadReplica, sqlRows, toPage } from '@gongxiao/core';
import { LedgerEntryRow } from './ledger-entry.types';
import { findVisibleStatement, periodFromMonth, STATEMENT_COLUMNS, StatementRow } from './statement-access';
import { ENTRY_COLUMNS, presentEntries } from './statement-entries';
import { StatementPresenter } from './statement.presenter';
import { EntryResponseDto } from './settlement.dto';
import { ListStatementsQueryDto, StatementResponseDto } from './statements.dto';

/** Statements the actor is payee or payer of, and their entry lines. Another merchant's ids are 404s. */
@Injectable()
export class StatementQueriesService {
  constructor(
    private readonly em: EntityManager,
    private readonly presenter: StatementPresenter,
    private readonly replica: ReadReplica,
  ) {}

  async list(actor: ActorContext, query: ListStatementsQueryDto): Promise<Page<StatementResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const side = query.side === 'receivable' ? 's.seller_merchant_id = ?' : query.side === 'payable' ? 's.buyer_merchant_id = ?' : '? in (s.seller_merchant_id, s.buyer_merchant_id)';
    const reader = await this.replica.reader(this.em);
    const rows = await sqlRows<StatementRow>(
      reader,
      `select ${STATEMENT_COLUMNS} from statement s
        where ${side}
          and (?::date is null or s.period = ?::date)
          and (?::text is null or s.status = ?::text)
          and (?::bigint is null or ?::bigint in (s.seller_merchant_id, s.buyer_merchant_id))
          and (?::bigint is null or s.id < ?::bigint)
        order by s.id desc limit ?`,
      [actor.merchantId, ...twice(query.period ? periodFromMonth(query.period) : null), ...twice(query.status ?? null), ...twice(query.counterpartyMerchantId ?? null), ...twice(before), limit + 1],
    );
    const presented = new Map((await this.presenter.present(reader, actor.merchantId, rows)).map((item) => [item.id, item]));
    return toPage(rows, limit, (row) => presented.get(row.id)!);
  }

  async get(actor: ActorContext, statementId: string): Promise<StatementResponseDto> {
    const row = await findVisibleStatement(this.em, actor, statementId);
    return (await this.presenter.present(this.em, actor.merchantId, [row]))[0];
  }

  /** The statement's entry lines in posting order (cursor over the entry id). */
  async entries(actor: ActorContext, statementId: string, query: PageQueryDto): Promise<Page<EntryResponseDto>> {
    const reader = await this.replica.reader(this.em);
    const statement = await findVisibleStatement(reader, actor, statementId);
    const limit = query.limit ?? 100;
    const after = decodeIdCursor(query.cursor);
    const rows = await sqlRows<LedgerEntryRow>(reader, `select ${ENTRY_COLUMNS} from ledger_entry e where e.statement_id = ? and (?::bigint is null or e.id > ?::bigint) order by e.id limit ?`, [
      statement.id,
      after,
      after,
      limit + 1,
    ]);
    const presented = new Map((await presentEntries(reader, actor.merchantId, rows)).map((entry) => [entry.id, entry]));
    return toPage(rows, limit, (row) => presented.get(row.id)!);
  }
}

function twice<T>(value: T): [T, T] {
  return [value, value];
}
