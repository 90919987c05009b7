import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, money, sqlRows } from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { periodFromMonth } from './statement-access';
import { MarginsQueryDto } from './settlement.dto';
import { MarginsResponseDto } from './margins.dto';

interface MarginRow {
  currency: string;
  partner_merchant_id: string | null;
  sku_id: string | null;
  sku_code: string | null;
  billed: string;
  owed: string;
}

/**
 * A broker's margin for a month: what it billed downstream (entries where it sells) minus what it
 * owes upstream (entries where it buys), goods, shipping and refunds net, by partner and by SKU.
 * Only the actor's own hops are read, so no other hop's price shows.
 */
@Injectable()
export class MarginsService {
  constructor(
    private readonly em: EntityManager,
    private readonly merchants: MerchantsService,
  ) {}

  async margins(actor: ActorContext, query: MarginsQueryDto): Promise<MarginsResponseDto> {
    const rows = await sqlRows<MarginRow>(
      this.em,
      `with me as (select ?::bigint as id, ?::date as period),
       mine as (
         select e.currency, e.sku_id, e.sku_code,
                case when e.seller_merchant_id = me.id then e.buyer_merchant_id else e.seller_merchant_id end as partner,
                e.seller_merchant_id = me.id as sells,
                case when e.debit_account = 'receivable' then e.amount else -e.amount end as signed
           from ledger_entry e cross join me
          where me.id in (e.seller_merchant_id, e.buyer_merchant_id) and e.period = me.period and e.kind in ('goods', 'shipping', 'refund')
       )
       select currency, partner::text as partner_merchant_id, null::text as sku_id, null::text as sku_code,
              coalesce(sum(signed) filter (where sells), 0)::text as billed, coalesce(sum(signed) filter (where not sells), 0)::text as owed
         from mine group by currency, partner
       union all
       select currency, null, sku_id::text, sku_code,
              coalesce(sum(signed) filter (where sells), 0)::text, coalesce(sum(signed) filter (where not sells), 0)::text
         from mine group by currency, sku_id, sku_code
       order by 1, 2, 3`,
      [actor.merchantId, periodFromMonth(query.period)],
    );
    const names = await this.merchants.namesOf([...new Set(rows.flatMap((row) => (row.partner_merchant_id ? [row.partner_merchant_id] : [])))]);
    const line = (row: MarginRow) => ({
      billed: money(row.billed, row.currency),
      owed: money(row.owed, row.currency),
      margin: money(BigInt(row.billed) - BigInt(row.owed), row.currency),
    });
    return {
      period: query.period,
      byPartner: rows.filter((row) => row.partner_merchant_id).map((row) => ({ merchantId: row.partner_merchant_id!, name: names.get(row.partner_merchant_id!) ?? '', ...line(row) })),
      bySku: rows.filter((row) => !row.partner_merchant_id).map((row) => ({ skuId: row.sku_id, skuCode: row.sku_code, ...line(row) })),
    };
  }
}
