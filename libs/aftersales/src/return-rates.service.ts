import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { fulfillmentLinesByIds, shippedUnitsPerSku } from '@gongxiao/fulfillment';
import { ReturnRatesDto } from './returns.dto';

/** Per SKU: cases that were approved automatically (the supplier left them undecided past their deadline), and their units. */
export interface AutoApprovedCounts {
  cases: number;
  units: number;
}

/**
 * Consumer cases of the supplier approved automatically since `since` (null: ever), per SKU of their
 * lines, for scorecards and the return-rates report: one statement over after-sales' rows and one
 * read of the lines' SKUs (a case with two SKUs counts for each).
 */
export async function autoApprovedCountsBySku(em: EntityManager, supplierMerchantId: string, since: Date | null): Promise<Map<string, AutoApprovedCounts>> {
  const rows = await sqlRows<{ case_id: string; line_id: string; quantity: number }>(
    em,
    `select r.id::text as case_id, rl.fulfillment_order_line_id::text as line_id, rl.quantity
       from return_request r join return_request_line rl on rl.return_request_id = r.id
      where r.supplier_merchant_id = ? and r.decided_by = 'auto' and r.status <> 'withdrawn' and (?::timestamptz is null or r.decided_at >= ?::timestamptz)`,
    [supplierMerchantId, since?.toISOString() ?? null, since?.toISOString() ?? null],
  );
  const lines = await fulfillmentLinesByIds(
    em,
    rows.map((row) => row.line_id),
  );
  const cases = new Map<string, Set<string>>();
  const counts = new Map<string, AutoApprovedCounts>();
  for (const row of rows) {
    const skuId = lines.get(row.line_id)!.sku_id;
    cases.set(skuId, (cases.get(skuId) ?? new Set()).add(row.case_id));
    counts.set(skuId, { cases: cases.get(skuId)!.size, units: (counts.get(skuId)?.units ?? 0) + row.quantity });
  }
  return counts;
}

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
    const auto = await autoApprovedCountsBySku(this.em, supplierMerchantId, null);
    const autoCases = await sqlRows<{ n: number }>(this.em, `select count(*)::int as n from return_request where supplier_merchant_id = ? and decided_by = 'auto' and status <> 'withdrawn'`, [
      supplierMerchantId,
    ]);
    const skus = await this.catalog.skusById(shipped.map((row) => row.skuId));
    const rows = shipped
      .map((row) => ({ ...row, code: skus.get(row.skuId)?.code ?? '', ...(returnedPerSku.get(row.skuId) ?? { returned: 0, refundOnly: 0 }) }))
      .sort((a, b) => a.code.localeCompare(b.code));
    const rate = (returned: number, units: number) => (units === 0 ? 0 : Math.round((returned / units) * 10_000) / 10_000);
    const totalShipped = rows.reduce((sum, row) => sum + row.shipped, 0);
    const totalReturned = rows.reduce((sum, row) => sum + row.returned, 0);
    return {
      total: { unitsShipped: totalShipped, unitsReturned: totalReturned, returnRate: rate(totalReturned, totalShipped), casesAutoApproved: autoCases[0].n },
      nextCursor: null,
      data: rows.map((row) => ({
        skuId: row.skuId,
        skuCode: row.code,
        unitsShipped: row.shipped,
        unitsReturned: row.returned,
        unitsRefundOnly: row.refundOnly,
        returnRate: rate(row.returned, row.shipped),
        casesAutoApproved: auto.get(row.skuId)?.cases ?? 0,
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
