import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, decodeIdCursor, isId, NotFoundError, OutboxService, Page, sqlExec, sqlOne, sqlRows, toPage } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { InventoryService } from '@gongxiao/inventory';
import { timeZonesOf } from '@gongxiao/settlement';
import { WebhooksService } from '@gongxiao/webhooks';
import { promisedShipment } from './cutoff-schedule';
import { ProductionRunRow, presentRuns } from './production-run-queries';
import { CancelProductionRunDto, ConfirmProductionRunDto, ListProductionRunsQueryDto, ProductionRunResponseDto } from './production-runs.dto';

/** A fulfillment order waiting in a run, with its live units and who it is for. */
interface WaitingOrder {
  id: string;
  warehouse_id: string;
  units: number;
  distributors: string[];
  channel_order_ids: string[];
}

/**
 * Made-to-order production runs, the supplier's side (`production_run`, this library's): the runs
 * with their live demand, confirming a closed run (a promised ship date; its orders released to be
 * shipped, their units made and reserved) and cancelling one below its minimum batch (its orders are
 * then cancelled through the normal path by `ProductionRunCancelledJob`).
 */
@Injectable()
export class ProductionRunsService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhooksService,
  ) {}

  async list(actor: ActorContext, query: ListProductionRunsQueryDto): Promise<Page<ProductionRunResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<ProductionRunRow>(
      this.em,
      `select * from production_run where supplier_merchant_id = ? and (?::text is null or status = ?::text) and (?::bigint is null or id < ?::bigint) order by id desc limit ?`,
      [actor.merchantId, query.status ?? null, query.status ?? null, before, before, limit + 1],
    );
    const presented = new Map((await presentRuns(this.em, this.catalog, rows)).map((run) => [run.id, run]));
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      (row) => presented.get(row.id)!,
    );
  }

  async get(actor: ActorContext, runId: string): Promise<ProductionRunResponseDto> {
    return (await presentRuns(this.em, this.catalog, [await this.findOwn(this.em, actor, runId, false)]))[0];
  }

  /**
   * Confirms a closed run: it will be produced. The ship date it promises is the confirm day plus its
   * lead time on the supplier's wall clock (ship-by: the end of that day); its waiting orders are
   * released (`new`, to ERP warehouses too) and their units are made and reserved at its warehouse.
   */
  async confirm(actor: ActorContext, runId: string, input: ConfirmProductionRunDto): Promise<ProductionRunResponseDto> {
    return this.em.transactional(async (em) => {
      const run = await this.findOwn(em, actor, runId, true);
      assertClosed(run, 'confirm');
      const waiting = await waitingOrders(em, run.id);
      const units = waiting.reduce((sum, order) => sum + order.units, 0);
      if (units === 0) throw new ConflictError('production_run_empty', 'Every order of this run was cancelled: there is nothing to produce. Cancel the run instead.');
      const below = units < run.min_batch_units;
      if (below && !input.produceBelowMinimum) {
        throw new ConflictError(
          'run_below_minimum',
          `The run closed with ${units} unit(s), below its minimum batch of ${run.min_batch_units}. Confirm it with produceBelowMinimum: true to produce it anyway, or cancel it (its orders are cancelled with your reason).`,
          [{ field: 'produceBelowMinimum', reason: `${units} of ${run.min_batch_units} units` }],
        );
      }
      const timeZone = (await timeZonesOf(em, [actor.merchantId])).get(actor.merchantId)!;
      const { promisedShipDate, shipBy } = promisedShipment(new Date(), run.lead_time_days, timeZone);
      await sqlExec(em, `update production_run set status = 'confirmed', confirmed_at = now(), produced_below_minimum = ?, promised_ship_date = ?::date, updated_at = now() where id = ?`, [
        below,
        promisedShipDate,
        run.id,
      ]);
      const ids = waiting.map((order) => order.id);
      await sqlExec(em, `update fulfillment_order set status = 'new', released_at = now(), ship_by = ?, promised_ship_date = ?::date, updated_at = now() where id = any(?::bigint[])`, [
        shipBy.toISOString(),
        promisedShipDate,
        ids,
      ]);
      await this.inventory.receiveProduced(
        em,
        actor.merchantId,
        waiting.map((order) => ({ warehouseId: order.warehouse_id, skuId: String(run.sku_id), quantity: order.units })),
        `production_run:${run.id}`,
      );
      await this.outbox.append(
        em,
        ids.map((id) => ({ type: 'fulfillment_order.released' as const, merchantId: actor.merchantId, aggregateId: id, payload: { fulfillmentOrderId: id } })),
      );
      await this.announce(em, run, waiting, 'production_run.confirmed', { promisedShipDate, units, producedBelowMinimum: below });
      return (await presentRuns(em, this.catalog, [(await this.findOwn(em, actor, run.id, false))!]))[0];
    });
  }

  /**
   * Cancels a closed run below its minimum batch: it will not be produced, and every order waiting in
   * it is cancelled through the normal cancellation path with the reason (holds released, shops told),
   * by `ProductionRunCancelledJob` after this commits.
   */
  async cancel(actor: ActorContext, runId: string, input: CancelProductionRunDto): Promise<ProductionRunResponseDto> {
    return this.em.transactional(async (em) => {
      const run = await this.findOwn(em, actor, runId, true);
      assertClosed(run, 'cancel');
      const waiting = await waitingOrders(em, run.id);
      const units = waiting.reduce((sum, order) => sum + order.units, 0);
      if (units >= run.min_batch_units) {
        throw new ConflictError('run_meets_minimum', `The run reached its minimum batch (${units} of ${run.min_batch_units} units): confirm it. Only a run below its minimum may be cancelled.`, [
          { field: 'status', reason: `${units} unit(s), minimum ${run.min_batch_units}` },
        ]);
      }
      await sqlExec(em, `update production_run set status = 'cancelled', cancelled_at = now(), cancel_reason = ?, updated_at = now() where id = ?`, [input.reason, run.id]);
      await this.outbox.append(em, [{ type: 'production_run.cancelled', merchantId: actor.merchantId, aggregateId: `production_run:${run.id}`, payload: { productionRunId: String(run.id) } }]);
      await this.announce(em, run, waiting, 'production_run.cancelled', { reason: input.reason, units });
      return (await presentRuns(em, this.catalog, [(await this.findOwn(em, actor, run.id, false))!]))[0];
    });
  }

  /** Tells the supplier and the distributors of the run's orders, each with its own ids only. */
  private async announce(
    em: EntityManager,
    run: ProductionRunRow,
    waiting: WaitingOrder[],
    event: 'production_run.confirmed' | 'production_run.cancelled',
    figures: Record<string, unknown>,
  ): Promise<void> {
    const supplierId = String(run.supplier_merchant_id);
    const ordersOf = new Map<string, Set<string>>();
    for (const order of waiting) {
      order.distributors.forEach((distributor, index) => ordersOf.set(distributor, (ordersOf.get(distributor) ?? new Set()).add(order.channel_order_ids[index])));
    }
    await this.webhooks.publish(em, [...new Set([supplierId, ...ordersOf.keys()])], event, String(run.id), `${event}:${run.id}`, (merchantId) =>
      merchantId === supplierId
        ? { productionRunId: String(run.id), skuId: String(run.sku_id), fulfillmentOrderIds: waiting.map((order) => order.id), ...figures }
        : { channelOrderIds: [...(ordersOf.get(merchantId) ?? [])].sort(), ...('promisedShipDate' in figures ? { promisedShipDate: figures.promisedShipDate } : { reason: figures.reason }) },
    );
  }

  private async findOwn(em: EntityManager, actor: ActorContext, runId: string, lock: boolean): Promise<ProductionRunRow> {
    const row = isId(runId)
      ? await sqlOne<ProductionRunRow>(em, `select * from production_run where id = ? and supplier_merchant_id = ?${lock ? ' for update' : ''}`, [runId, actor.merchantId])
      : undefined;
    if (!row) throw new NotFoundError('production run', runId);
    return { ...row, id: String(row.id) };
  }
}

/** Only a closed run is confirmed or cancelled: an open one still collects orders until its cut-off. */
function assertClosed(run: ProductionRunRow, action: 'confirm' | 'cancel'): void {
  if (run.status === 'closed') return;
  if (run.status === 'open') {
    throw new ConflictError('production_run_open', `The run is still collecting orders until its cut-off (${new Date(run.cutoff_at).toISOString()}); ${action} it once it has closed.`, [
      { field: 'status', reason: 'open' },
    ]);
  }
  throw new ConflictError(`production_run_${run.status}`, `The run was already ${run.status}.`, [{ field: 'status', reason: run.status }]);
}

/** The run's fulfillment orders still waiting for it, locked, with their live units and their distributors' shop orders. */
async function waitingOrders(em: EntityManager, runId: string): Promise<WaitingOrder[]> {
  const locked = await sqlRows<{ id: string }>(em, `select id::text from fulfillment_order where production_run_id = ? and status = 'awaiting_production' order by fulfillment_order.id for update`, [
    runId,
  ]);
  if (locked.length === 0) return [];
  return sqlRows<WaitingOrder>(
    em,
    `select l.fulfillment_order_id::text as id, min(f.warehouse_id)::text as warehouse_id, sum(l.quantity - l.cancelled_quantity)::int as units,
            array_agg(l.distributor_merchant_id::text order by l.id) as distributors, array_agg(l.channel_order_id::text order by l.id) as channel_order_ids
       from fulfillment_order_line l join fulfillment_order f on f.id = l.fulfillment_order_id
      where l.fulfillment_order_id = any(?::bigint[]) group by l.fulfillment_order_id having sum(l.quantity - l.cancelled_quantity) > 0 order by l.fulfillment_order_id`,
    [locked.map((row) => row.id)],
  );
}
