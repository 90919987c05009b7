import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlExec, sqlRows } from '@gongxiao/core';
import { WebhooksService } from '@gongxiao/webhooks';
import { demandOfRuns } from './production-run-queries';

/**
 * Closes the made-to-order runs whose cut-off has come: from then on orders go to the next run and
 * the supplier is told the aggregated demand (`production_run.closed`, units per SKU option) to
 * confirm or cancel. Takes routing's per-SKU lock (in SKU order), so an order being added to a run
 * commits before the run closes, or goes to the next one. Run by the worker's sweep; safe twice at once.
 */
@Injectable()
export class ProductionRunSweepService {
  constructor(
    private readonly em: EntityManager,
    private readonly webhooks: WebhooksService,
  ) {}

  /** `now` is a parameter so that a story can sweep with a fake clock. Returns the runs closed. */
  async closeDue(now: Date = new Date(), limit = 200): Promise<number> {
    return this.em.transactional(async (em) => {
      const due = await sqlRows<{ sku_id: string }>(
        em,
        `select distinct sku_id::text from (select sku_id from production_run where status = 'open' and cutoff_at <= ?::timestamptz order by cutoff_at limit ?) due order by 1`,
        [now.toISOString(), limit],
      );
      if (due.length === 0) return 0;
      const skuIds = due.map((row) => row.sku_id).sort((a, b) => Number(BigInt(a) - BigInt(b)));
      await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended('production_run:' || sku, 0)) from unnest(?::bigint[]) with ordinality as t(sku, n) order by n`, [skuIds]);
      const closed = await sqlRows<{ id: string; supplier_merchant_id: string; sku_id: string; cutoff_at: Date; min_batch_units: number }>(
        em,
        `update production_run set status = 'closed', closed_at = ?::timestamptz, updated_at = now()
          where status = 'open' and cutoff_at <= ?::timestamptz and sku_id = any(?::bigint[])
          returning id::text, supplier_merchant_id::text, sku_id::text, cutoff_at, min_batch_units`,
        [now.toISOString(), now.toISOString(), skuIds],
      );
      const demand = await demandOfRuns(
        em,
        closed.map((run) => run.id),
      );
      for (const run of closed) {
        const { parts, orders } = demand.get(run.id) ?? { parts: [], orders: 0 };
        const units = parts.reduce((sum, part) => sum + part.units, 0);
        await this.webhooks.publish(em, [run.supplier_merchant_id], 'production_run.closed', run.id, `production_run.closed:${run.id}`, () => ({
          productionRunId: run.id,
          skuId: run.sku_id,
          cutoffAt: new Date(run.cutoff_at).toISOString(),
          units,
          orders,
          minBatchUnits: run.min_batch_units,
          belowMinimum: units < run.min_batch_units,
          demand: parts,
        }));
      }
      return closed.length;
    });
  }
}
