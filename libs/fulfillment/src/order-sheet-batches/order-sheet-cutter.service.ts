import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ActorContext, ConflictError, OutboxService, sqlExec, sqlOne } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { BatchRow, toBatchResponse } from './batch-rows';
import { OrderSheetBatchResponseDto } from './order-sheet-batches.dto';
import { nextCutAt } from './schedule-clock';
import { ownWarehouse } from './sheet-schedules.service';

/** How far before the previous batch a cut still looks for orders released (or cancelled) while it was being cut. */
const OVERLAP = `interval '1 day'`;
/** At most this many schedules are cut by one run; the next minute's run takes the rest. */
const MAX_CUTS_PER_RUN = 500;

interface CutTarget {
  warehouseId: string;
  supplierMerchantId: string;
  trigger: 'schedule' | 'manual';
  scheduledFor: Date | null;
  now: Date;
}

interface DueSchedule {
  warehouse_id: string;
  supplier_merchant_id: string;
  times: string[];
  time_zone: string;
  next_cut_at: Date;
}

/**
 * Cuts order-sheet batches (发货单批次). A batch takes every fulfillment order of its warehouse that
 * is released to the supplier (not pending_merge), not cancelled, and in no batch yet; and lists the
 * orders of earlier batches cancelled since, each once. One transaction per batch, under a lock per
 * warehouse (a transaction-scoped advisory lock), so concurrent cutters — the minutely job on two
 * workers, a person pressing "cut now" — never cut the same orders twice; the unique key on the
 * membership's (order, kind) says so again. "Cancelled before the cut" is what the cut's statement
 * sees: a cancellation committed after it lands on the next batch's cancelled list.
 *
 * Orders shipped before any batch took them still go into the next batch (their parcels are its
 * rows); the very first batch of a warehouse takes its open orders and those released in the last day.
 */
@Injectable()
export class OrderSheetCutterService {
  private readonly logger = new Logger('order-sheet-batches');

  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly outbox: OutboxService,
  ) {}

  /** "Cut now": 201 with the batch, or 409 when nothing became ready and nothing was cancelled since the last one. */
  async cutNow(actor: ActorContext, warehouseId: string, now = new Date()): Promise<OrderSheetBatchResponseDto> {
    const warehouse = await ownWarehouse(this.catalog, actor, warehouseId);
    const batch = await this.em.transactional((em) => this.cut(em, { warehouseId: warehouse.id, supplierMerchantId: warehouse.merchantId, trigger: 'manual', scheduledFor: null, now }));
    if (!batch) {
      throw new ConflictError('order_sheet_batch_empty', 'Nothing to cut: no order was released to this warehouse and none of an earlier batch was cancelled since the last batch.', [
        { field: 'warehouseId', reason: 'nothing new since the last batch' },
      ]);
    }
    return toBatchResponse(batch);
  }

  /**
   * Cuts one batch for every schedule whose next time has come by `now` (a time missed while no
   * worker ran is cut once, not once per missed time), then counts the schedule's next time from
   * `now`. A due schedule with nothing new and nothing cancelled cuts no empty batch. Returns the batches cut.
   */
  async cutDueBatches(now = new Date()): Promise<OrderSheetBatchResponseDto[]> {
    const cut: OrderSheetBatchResponseDto[] = [];
    for (let run = 0; run < MAX_CUTS_PER_RUN; run++) {
      const outcome = await this.em.fork().transactional(async (em) => {
        // Another cutter holding a due schedule skips it (it is being cut) rather than waiting.
        const due = await sqlOne<DueSchedule>(
          em,
          `select warehouse_id::text, supplier_merchant_id::text, times, time_zone, next_cut_at from order_sheet_schedule
            where next_cut_at <= ? order by next_cut_at, warehouse_id limit 1 for update skip locked`,
          [now.toISOString()],
        );
        if (!due) return null;
        const batch = await this.cut(em, { warehouseId: due.warehouse_id, supplierMerchantId: due.supplier_merchant_id, trigger: 'schedule', scheduledFor: due.next_cut_at, now });
        const next = nextCutAt(due.times, due.time_zone, now);
        await sqlExec(em, `update order_sheet_schedule set next_cut_at = ? where warehouse_id = ?`, [next?.toISOString() ?? null, due.warehouse_id]);
        return { batch };
      });
      if (!outcome) break;
      if (outcome.batch) cut.push(toBatchResponse(outcome.batch));
    }
    if (cut.length > 0) this.logger.log({ batches: cut.length }, 'cut order-sheet batches');
    return cut;
  }

  /** One batch of the warehouse in the caller's transaction, or null when it would be empty. */
  private async cut(em: EntityManager, target: CutTarget): Promise<BatchRow | null> {
    await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended('order_sheet_batch:' || ?::text, 0))`, [target.warehouseId]);
    const found = (await sqlOne<{ previous: number; orders: string[]; cancelled: string[] }>(
      em,
      `with previous as (
         select coalesce(max(number), 0) as number, coalesce(max(created_at), now()) - ${OVERLAP} as since from order_sheet_batch where warehouse_id = ?
       ),
       ready as (
         select o.id from fulfillment_order o where o.warehouse_id = ? and o.status in ('new', 'acknowledged', 'partially_shipped')
         union
         select o.id from fulfillment_order o, previous p where o.warehouse_id = ? and o.status = 'shipped' and o.released_at >= p.since
       )
       select (select number from previous) as previous,
              array(select r.id::text from ready r
                     where not exists (select 1 from order_sheet_batch_order m where m.fulfillment_order_id = r.id and m.kind = 'order') order by r.id) as orders,
              array(select o.id::text from fulfillment_order o, previous p
                     where o.warehouse_id = ? and o.status = 'cancelled' and o.updated_at >= p.since
                       and exists (select 1 from order_sheet_batch_order m where m.fulfillment_order_id = o.id and m.kind = 'order')
                       and not exists (select 1 from order_sheet_batch_order m where m.fulfillment_order_id = o.id and m.kind = 'cancelled')
                     order by o.id) as cancelled`,
      [target.warehouseId, target.warehouseId, target.warehouseId, target.warehouseId],
    ))!;
    if (found.orders.length === 0 && found.cancelled.length === 0) return null;
    const batch = (await sqlOne<BatchRow>(
      em,
      `insert into order_sheet_batch (supplier_merchant_id, warehouse_id, number, trigger, scheduled_for, cut_at, order_count, cancelled_count)
       values (?, ?, ?, ?, ?, ?, ?, ?) returning *`,
      [
        target.supplierMerchantId,
        target.warehouseId,
        found.previous + 1,
        target.trigger,
        target.scheduledFor ? new Date(target.scheduledFor).toISOString() : null,
        target.now.toISOString(),
        found.orders.length,
        found.cancelled.length,
      ],
    ))!;
    await sqlExec(
      em,
      `insert into order_sheet_batch_order (batch_id, fulfillment_order_id, kind)
       select ?::bigint, id, 'order' from unnest(?::bigint[]) as o(id) union all select ?::bigint, id, 'cancelled' from unnest(?::bigint[]) as c(id)`,
      [batch.id, found.orders, batch.id, found.cancelled],
    );
    await this.outbox.append(em, [
      {
        type: 'order_sheet_batch.created',
        merchantId: String(target.supplierMerchantId),
        aggregateId: String(batch.id),
        payload: { batchId: String(batch.id), warehouseId: String(target.warehouseId), number: batch.number, orderCount: batch.order_count, cancelledCount: batch.cancelled_count },
      },
    ]);
    return batch;
  }
}
