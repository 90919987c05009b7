import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, decodeIdCursor, Page, sqlRows, toPage } from '@gongxiao/core';
import { ReturnCasesService, ReturnRow } from './return-cases.service';
import { ReturnPresenter } from './return.presenter';
import { ListReturnsQueryDto, ReturnResponseDto } from './returns.dto';

/** Cases a merchant takes part in (as distributor, broker or supplier), newest first, and one case. */
@Injectable()
export class ReturnQueriesService {
  constructor(
    private readonly em: EntityManager,
    private readonly cases: ReturnCasesService,
    private readonly presenter: ReturnPresenter,
  ) {}

  async list(actor: ActorContext, query: ListReturnsQueryDto): Promise<Page<ReturnResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<ReturnRow>(
      this.em,
      `select r.* from return_party p join return_request r on r.id = p.return_request_id
        where p.merchant_id = ?
          and (?::text is null or r.status = ?::text)
          and (?::bigint is null or (r.channel_order_id = ?::bigint and r.distributor_merchant_id = p.merchant_id))
          and (?::bigint is null or r.interception_request_id = ?::bigint)
          and (?::bigint is null or r.id < ?::bigint)
        order by r.id desc limit ?`,
      [
        actor.merchantId,
        query.status ?? null,
        query.status ?? null,
        query.channelOrderId ?? null,
        query.channelOrderId ?? null,
        query.interceptionRequestId ?? null,
        query.interceptionRequestId ?? null,
        before,
        before,
        limit + 1,
      ],
    );
    const normalized = rows.map((row) => ({ ...row, id: String(row.id) }));
    const presented = await this.presenter.present(this.em, actor.merchantId, normalized.slice(0, limit));
    return toPage(normalized, limit, (row) => presented.find((item) => item.id === row.id)!);
  }

  async get(actor: ActorContext, returnId: string): Promise<ReturnResponseDto> {
    const { row } = await this.cases.findVisible(this.em, actor, returnId);
    return (await this.presenter.present(this.em, actor.merchantId, [row]))[0];
  }
}
