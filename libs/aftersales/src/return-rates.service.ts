import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { fulfillmentLinesByIds, shippedUnitsPerSku } from '@gongxiao/fulfillment';
import { ReturnRatesDto } from './returns.dto';

/**
 * Return figures of the supplier's own SKUs, for the quality rules to come. Consumers' returns the
 * supplier accepted (or that needed no approval) count; cancellations that became returns are
 * counted as cancellations, undecided cases not at all.
 */
@Injectable()
export class ReturnRatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async returnRates(supplierMerchantId: string): Promise<ReturnRatesDto> {
    const shipped = await shippedUnitsPerSku(this.em, supplierMerchantId);
    const returnedPerLine = await sqlRows<{ line_id: string; returned: number; refund_only: number }>(
      this.em,
      `select rl.fulfillment_order_line_id::text as line_id, sum(rl.quantity)::int as returned,
              coalesce(sum(rl.quantity) filter (where r.kind = 'refund_only'), 0)::int as refund_only
         from return_request_line rl join return_request r on r.id = rl.return_request_id
        where r.supplier_merchant_id = ? and r.origin = 'consumer' and r.status in ('approved', 'return_shipped', 'received', 'refunded')
        group by rl.fulfillment_order_line_id`,
      [supplierMerchantId],
    );
    const lines = await fulfillmentLinesByIds(
      this.em,
      returnedPerLine.map((row) => row.line_id),
    );
    const returnedPerSku = new Map<string, { returned: number; refundOnly: number }>();
    for (const row of returnedPerLine) {
      const skuId = lines.get(row.line_id)!.sku_id;
      const sum = returnedPerSku.get(skuId) ?? { returned: 0, refundOnly: 0 };
      returnedPerSku.set(skuId, { returned: sum.returned + row.returned, refundOnly: sum.refundOnly + row.refund_only });
    }
    const skus = await this.catalog.skusById(shipped.map((row) => row.skuId));
    const rows = shipped
      .map((row) => ({ ...row, code: skus.get(row.skuId)?.code ?? '', ...(returnedPerSku.get(row.skuId) ?? { returned: 0, refundOnly: 0 }) }))
      .sort((a, b) => a.code.localeCompare(b.code));
    const rate = (returned: number, units: number) => (units === 0 ? 0 : Math.round((returned / units) * 10_000) / 10_000);
    const totalShipped = rows.reduce((sum, row) => sum + row.shipped, 0);
    const totalReturned = rows.reduce((sum, row) => sum + row.returned, 0);
    return {
      total: { unitsShipped: totalShipped, unitsReturned: totalReturned, returnRate: rate(totalReturned, totalShipped) },
      nextCursor: null,
      data: rows.map((row) => ({
        skuId: row.skuId,
        skuCode: row.code,
        unitsShipped: row.shipped,
        unitsReturned: row.returned,
        unitsRefundOnly: row.refundOnly,
        returnRate: rate(row.returned, row.shipped),
      })),
    };
  }
}

/**
 * Consumers' returned units of these lines (accepted cases, as `returnRates` counts them) by the
 * key each line is given and by reason, for the scorecards: one statement for every line.
 */
export async function consumerReturnsByKey(em: EntityManager, lines: { lineIds: string[]; keys: string[] }): Promise<{ key: string; reason: string; units: number }[]> {
  if (lines.lineIds.length === 0) return [];
  const rows = await sqlRows<{ key: string; reason: string; units: number }>(
    em,
    `select k.key, r.reason, sum(rl.quantity)::int as units
       from unnest(?::bigint[], ?::text[]) as k(line_id, key)
       join return_request_line rl on rl.fulfillment_order_line_id = k.line_id
       join return_request r on r.id = rl.return_request_id
      where r.origin = 'consumer' and r.status in ('approved', 'return_shipped', 'received', 'refunded')
      group by k.key, r.reason`,
    [lines.lineIds, lines.keys],
  );
  return rows.map((row) => ({ key: row.key, reason: row.reason, units: row.units }));
}
