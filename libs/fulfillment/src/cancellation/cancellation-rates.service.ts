import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Page, ReadReplica, sqlRows, wholePage } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { SkuCancellationRateDto } from '../cancellation.dto';

/**
 * The statement of a supplier's cancellation figures since `since`, with its parameters: its own
 * function so that the query-plan spec explains it (the supplier's orders of the window by
 * `fulfillment_order_supplier_created_idx`, never every line of every supplier).
 */
export function cancellationRatesQuery(supplierMerchantId: string, since: Date): { sql: string; params: unknown[] } {
  return {
    sql: `select l.sku_id::text, sum(l.quantity)::int as ordered, sum(l.cancelled_quantity)::int as cancelled,
              (select count(*) from interception_request i join fulfillment_order_line il on il.fulfillment_order_id = i.fulfillment_order_id and il.channel_order_id = i.channel_order_id
                where il.sku_id = l.sku_id and i.supplier_merchant_id = ? and i.created_at >= ?::timestamptz)::int as intercepted_orders
         from fulfillment_order_line l
         join fulfillment_order o on o.id = l.fulfillment_order_id
        where o.supplier_merchant_id = ? and o.created_at >= ?::timestamptz
        group by l.sku_id`,
    params: [supplierMerchantId, since.toISOString(), supplierMerchantId, since.toISOString()],
  };
}

/**
 * Cancellation figures of the supplier's own SKUs (units routed to it, units cancelled before
 * shipping, parcels that needed an interception), for the quality rules to come.
 */
@Injectable()
export class CancellationRatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly replica: ReadReplica,
  ) {}

  /** Over the fulfillment orders routed to the supplier in the last `days` days (90 by default). */
  async cancellationRates(supplierMerchantId: string, days = 90): Promise<Page<SkuCancellationRateDto>> {
    const { sql, params } = cancellationRatesQuery(supplierMerchantId, new Date(Date.now() - days * 86_400_000));
    const rows = await sqlRows<{ sku_id: string; ordered: number; cancelled: number; intercepted_orders: number }>(await this.replica.reader(this.em), sql, params);
    const skus = await this.catalog.skusById(rows.map((row) => row.sku_id));
    const data = rows
      .map((row) => ({
        skuId: row.sku_id,
        skuCode: skus.get(row.sku_id)?.code ?? '',
        unitsOrdered: row.ordered,
        unitsCancelled: row.cancelled,
        interceptions: row.intercepted_orders,
        cancellationRate: row.ordered === 0 ? 0 : Math.round((row.cancelled / row.ordered) * 10_000) / 10_000,
      }))
      .sort((a, b) => a.skuCode.localeCompare(b.skuCode));
    return wholePage(data);
  }
}
