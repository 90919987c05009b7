import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { ActorContext, ConflictError, OutboxService, sqlExec, sqlOne } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { BatchRow, toBatchResponse } from './batch-rows';
import { OrderSheetBatchResponseDto } from './order-sheet-batches.dto';
import { nextCutAt } from './schedule-clock';
import { ownWarehouse } from './sheet-schedules.service';

/** How far before the previous batch a cut still looks for orders released while it was being cut. */
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
 * is released to the supplier (not pending_merge), not cancelled, and in no batch yet; and lists what
 * was cancelled since of orders in earlier batches — whole orders and single units alike, each
 * cancellation once (`fulfillment_line_cancellation`). One transaction per batch, under a lock per
 * warehouse (a transaction-scoped advisory lock), so concurrent cutters — the minutely job on two
 * workers, a person pressing "cut now" — never cut the same orders twice; the unique key on an
 * order's membership as an order says so again. "Cancelled before the cut" is what the cut's
 * statement sees: a cancellation committed after it lands on the next batch's cancelled list.
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
    const found = await findBatchContent(em, target.warehouseId);
    if (found.orders.length === 0 && found.listed.length === 0) return null;
    const cancelledOrders = [...new Set(found.listedOrders)];
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
        cancelledOrders.length,
      ],
    ))!;
    await sqlExec(
      em,
      `insert into order_sheet_batch_order (batch_id, fulfillment_order_id, kind)
       select ?::bigint, id, 'order' from unnest(?::bigint[]) as o(id) union all select ?::bigint, id, 'cancelled' from unnest(?::bigint[]) as c(id)`,
      [batch.id, found.orders, batch.id, cancelledOrders],
    );
    await sqlExec(
      em,
      `update fulfillment_line_cancellation c set batch_id = ?, listed = r.listed
         from (select unnest(?::bigint[]) as id, true as listed union all select unnest(?::bigint[]), false) as r where c.id = r.id`,
      [batch.id, found.listed, found.settled],
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

/** What the next batch of a warehouse holds, as its cutter's statement sees it (under the warehouse's lock). */
interface BatchContent {
  previous: number;
  /** Orders released to the supplier, not cancelled, in no batch yet. */
  orders: string[];
  /** Cancellations of orders in earlier batches, not listed yet (已取消 请勿发货), and their orders. */
  listed: string[];
  listedOrders: string[];
  /** Cancellations before their order's batch (this one, or none ever: a cancelled or shipped order in no batch): settled, never listed. */
  settled: string[];
}

/**
 * One statement: the orders of the batch, and the unsettled cancellations of the warehouse split in
 * those to list (their order is in an earlier batch) and those to settle unlisted (the order is not
 * in a batch and is past pending_merge: it goes into this one now, or it never will). A cancellation
 * of an order still pending_merge waits. A cancellation committed after this statement's snapshot
 * is settled by the next cut — listed, since its order is in a batch by then.
 */
async function findBatchContent(em: EntityManager, warehouseId: string): Promise<BatchContent> {
  return (await sqlOne<BatchContent>(
    em,
    `with previous as (
       select coalesce(max(number), 0) as number, coalesce(max(created_at), now()) - ${OVERLAP} as since from order_sheet_batch where warehouse_id = ?
     ),
     ready as (
       select o.id from fulfillment_order o where o.warehouse_id = ? and o.status in ('new', 'acknowledged', 'partially_shipped')
       union
       select o.id from fulfillment_order o, previous p where o.warehouse_id = ? and o.status = 'shipped' and o.released_at >= p.since
     ),
     unsettled as (
       select c.id, c.fulfillment_order_id, o.status,
              exists (select 1 from order_sheet_batch_order m where m.fulfillment_order_id = c.fulfillment_order_id and m.kind = 'order') as in_batch
         from fulfillment_line_cancellation c join fulfillment_order o on o.id = c.fulfillment_order_id
        where c.warehouse_id = ? and c.batch_id is null
     )
     select (select number from previous) as previous,
            array(select r.id::text from ready r
                   where not exists (select 1 from order_sheet_batch_order m where m.fulfillment_order_id = r.id and m.kind = 'order') order by r.id) as orders,
            array(select id::text from unsettled where in_batch order by unsettled.id) as listed,
            array(select fulfillment_order_id::text from unsettled where in_batch order by fulfillment_order_id) as "listedOrders",
            array(select id::text from unsettled where not in_batch and status not in ('pending_merge', 'awaiting_production') order by unsettled.id) as settled`,
    [warehouseId, warehouseId, warehouseId, warehouseId],
  ))!;
}
