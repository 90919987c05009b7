import type { FulfillmentLinesCancelledPayload, FundsAddedPayload, RefundRecordedPayload, ShipmentRecordedPayload } from './settlement-events';

/**
 * The typed job catalog. Every job is derived from a committed outbox row: the event type decides
 * the queue, the job name, attempts and backoff. The worker checks at start-up that every event
 * type has exactly one handler.
 */
export enum QueueName {
  Routing = 'routing',
  Dispatch = 'dispatch',
  Webhooks = 'webhooks',
  Availability = 'availability',
  AfterSales = 'aftersales',
  Settlement = 'settlement',
  /** Spreadsheet uploads read and applied in the background (long jobs, kept apart from the order flow). */
  Files = 'files',
  /** Scheduled sweeps and retention (a BullMQ job scheduler, not outbox events: once per interval across all workers). */
  Maintenance = 'maintenance',
}

export const ALL_QUEUES: readonly QueueName[] = [
  QueueName.Routing,
  QueueName.Dispatch,
  QueueName.Webhooks,
  QueueName.Availability,
  QueueName.AfterSales,
  QueueName.Settlement,
  QueueName.Files,
  QueueName.Maintenance,
];

/** The maintenance queue's sweep for overdue work and retention, made by its job scheduler. */
export const SWEEP_JOB = 'sweep';

/** The maintenance queue's minutely cut of the order-sheet batches that are due, made by its own job scheduler. */
export const ORDER_SHEET_CUT_JOB = 'order-sheet-cut';

export interface OutboxEventPayloads {
  /** A shop order was stored; split and route it. */
  'channel_order.received': { channelOrderId: string };
  /** A fulfillment order waits for its merge window to close. */
  'fulfillment_order.merge_window_opened': { fulfillmentOrderId: string; releaseAt: string };
  /** A fulfillment order left its merge window: POST it to its warehouse's ERP when it has one (routing schedules the others itself). */
  'fulfillment_order.released': { fulfillmentOrderId: string };
  /** A fulfillment order (or its lines for one shop order) was cancelled: tell the supplier's ERP at once. */
  'fulfillment_order.cancelled': { fulfillmentOrderId: string; channelOrderId: string };
  /** A cancelled order had already shipped: the supplier must try to intercept the parcel. */
  'interception.requested': { interceptionRequestId: string };
  /**
   * The supplier answered an interception request (fulfillment): after-sales opens the return it
   * leads to (the parcel coming back, or the consumer sending back what it cancelled).
   */
  'interception.answered': {
    interceptionRequestId: string;
    channelOrderId: string;
    fulfillmentOrderId: string;
    outcome: 'intercepted' | 'failed';
    /** The units the return covers, claimed by the answer's transaction (absent in events written before it did). */
    lines?: { fulfillmentOrderLineId: string; quantity: number }[];
  };
  /** A shipment was recorded against a shop order: tell the shop. */
  'channel_order.shipment_recorded': { channelOrderId: string; shipmentId: string; orderStatus?: string };
  /**
   * Something that decides what listings may sell changed (stock, an offer, a partnership, a cap, a
   * listing): recompute the availability of every listing selling these origin SKUs, the SKUs a
   * seller offers, or these listings.
   */
  'availability.stale': { skuIds?: string[]; sellerMerchantId?: string; ownSkusOfMerchantId?: string; listingIds?: string[] };
  /** Listings of this shop changed availability: tell the shop (coalesced, latest values only). */
  'shop_stock.stale': { shopId: string };
  /** A call to a shop's platform is due (a shipment or stock told in the platform's own API): channels makes it. */
  'platform_call.created': { platformCallId: string };
  /** An outgoing webhook is due. */
  'webhook_delivery.created': { webhookDeliveryId: string };
  /** A parcel shipped (fulfillment): settlement accrues every hop's price and shipping fee and posts the holds. */
  'shipment.recorded': ShipmentRecordedPayload;
  /** A return case was refunded along its chain (after-sales): settlement reverses each hop's share. */
  'refund.recorded': RefundRecordedPayload;
  /** Units of fulfillment lines were cancelled before shipping: settlement releases their holds. */
  'fulfillment_lines.cancelled': FulfillmentLinesCancelledPayload;
  /** A buyer's funds with a seller grew (settlement): orders held for lack of those funds are routed again. */
  'funds.added': FundsAddedPayload;
  /** A finance user asked for a statement as a file: the worker writes it (settlement). */
  'statement_export.requested': { exportId: string };
  /** A supplier asked for a big order sheet (发货单) as a file: the worker writes it (fulfillment). */
  'order_sheet_export.requested': { exportId: string };
  /** A spreadsheet was uploaded (tracking backfill, bulk orders, products, stock): the worker reads and applies it (imports). */
  'sheet_import.requested': { importId: string };
  /** A warehouse's order-sheet batch (发货单批次) was cut (fulfillment): tell the supplier's webhook subscriptions. */
  'order_sheet_batch.created': { batchId: string; warehouseId: string; number: number; orderCount: number; cancelledCount: number };
  /** A fulfillment order passed its ship-by unshipped (fulfillment's sweep, once per order): tell its supplier and distributors. */
  'fulfillment_order.overdue': { fulfillmentOrderId: string; shipBy: string };
  /** A shop pushed a consumer review of a routed line (quality): later rules (delisting) react; for now the supplier is told. */
  'review.received': { reviewId: string };
  /**
   * Figures a delisting rule reads changed for these origin SKUs (a consumer return began to count, a
   * review was stored, an order turned overdue): quality evaluates the rules that apply (coalesced).
   */
  'sales_quality.changed': { skuIds: string[] };
  /** A supplier cancelled a made-to-order run below its minimum batch (fulfillment): cancel the units still waiting in it through the normal cancellation path. */
  'production_run.cancelled': { productionRunId: string };
}

export type OutboxEventType = keyof OutboxEventPayloads;

export interface JobRoute {
  queue: QueueName;
  attempts: number;
  /** Base delay of the exponential backoff, in milliseconds. */
  backoffMs: number;
  /**
   * Wait this long before running the job, so that events arriving meanwhile are handled by the
   * same run (their handler takes every pending event of its type at once).
   */
  coalesceMs?: number;
  /**
   * Under a burst (events arriving while a run is in flight), the window stretches to twice the run's
   * duration, up to this: a run that takes longer than `coalesceMs` is not followed by the next back
   * to back, taking the cores from everything else (a run after a quiet spell still starts at once).
   */
  maxCoalesceMs?: number;
  /**
   * The relay hands up to this many waiting events of the type to one job (its handler takes them,
   * and others waiting, in one batch), instead of one job per event.
   */
  group?: number;
}

export const JOB_ROUTES: Record<OutboxEventType, JobRoute> = {
  'channel_order.received': { queue: QueueName.Routing, attempts: 10, backoffMs: 500, group: 50 },
  'fulfillment_order.merge_window_opened': { queue: QueueName.Routing, attempts: 10, backoffMs: 1000 },
  'fulfillment_order.released': { queue: QueueName.Dispatch, attempts: 10, backoffMs: 500, group: 100 },
  // A tracking backfill records thousands of parcels at once: their shop notices are handled 100 per job.
  'channel_order.shipment_recorded': { queue: QueueName.Dispatch, attempts: 10, backoffMs: 500, group: 100 },
  'fulfillment_order.cancelled': { queue: QueueName.Dispatch, attempts: 10, backoffMs: 200 },
  'interception.requested': { queue: QueueName.Dispatch, attempts: 10, backoffMs: 200 },
  // The answer claimed the case's units: keep trying for days rather than leave them claimed without a case.
  'interception.answered': { queue: QueueName.AfterSales, attempts: 20, backoffMs: 500 },
  // Under a burst every routed order makes stock stale: one recompute per 100 ms serves them all.
  // A recompute of 20,000 listings takes ≈ 500 ms: while orders stream in, such runs start at most once a second, not back to back.
  'availability.stale': { queue: QueueName.Availability, attempts: 10, backoffMs: 200, coalesceMs: 100, maxCoalesceMs: 1000 },
  // A stock change of a supplier with 10,000 resellers tells 10,000 shops: 50 of them per job, their statements shared.
  'shop_stock.stale': { queue: QueueName.Webhooks, attempts: 12, backoffMs: 500, group: 50 },
  // Attempts are counted on the delivery row (WEBHOOK_MAX_ATTEMPTS); BullMQ only paces the retries.
  // Deliveries created together leave together (sent at the same time by one job).
  'webhook_delivery.created': { queue: QueueName.Webhooks, attempts: 100, backoffMs: 1000, group: 20 },
  // Attempts are counted on the platform_call row (WEBHOOK_MAX_ATTEMPTS); BullMQ only paces the retries.
  'platform_call.created': { queue: QueueName.Webhooks, attempts: 100, backoffMs: 1000 },
  // Money must arrive: keep trying for days (each accrual is keyed, so a retry never doubles it).
  'shipment.recorded': { queue: QueueName.Settlement, attempts: 25, backoffMs: 500, group: 100 },
  'refund.recorded': { queue: QueueName.Settlement, attempts: 25, backoffMs: 500, group: 50 },
  'fulfillment_lines.cancelled': { queue: QueueName.Settlement, attempts: 25, backoffMs: 500, group: 100 },
  'funds.added': { queue: QueueName.Routing, attempts: 10, backoffMs: 500 },
  'statement_export.requested': { queue: QueueName.Settlement, attempts: 3, backoffMs: 5000 },
  'sheet_import.requested': { queue: QueueName.Files, attempts: 3, backoffMs: 5000 },
  'order_sheet_export.requested': { queue: QueueName.Files, attempts: 3, backoffMs: 5000 },
  'order_sheet_batch.created': { queue: QueueName.Webhooks, attempts: 10, backoffMs: 500 },
  'fulfillment_order.overdue': { queue: QueueName.Webhooks, attempts: 10, backoffMs: 500 },
  'review.received': { queue: QueueName.Webhooks, attempts: 10, backoffMs: 500 },
  // A burst of returns and reviews is evaluated together: one run per 100 ms takes every pending event.
  'sales_quality.changed': { queue: QueueName.AfterSales, attempts: 10, backoffMs: 500, coalesceMs: 100 },
  // The run's orders must end cancelled: keep trying (each cancellation takes only units still waiting, so a retry never doubles one).
  'production_run.cancelled': { queue: QueueName.Dispatch, attempts: 25, backoffMs: 500 },
};

export const OUTBOX_EVENT_TYPES = Object.keys(JOB_ROUTES) as OutboxEventType[];

/** What a job carries: the outbox row it came from (and, for grouped types, the rows after it). */
export interface OutboxJobData<Type extends OutboxEventType = OutboxEventType> {
  eventId: string;
  type: Type;
  merchantId: string | null;
  payload: OutboxEventPayloads[Type];
  /** Further events of the same type the relay handed to this job (types with a `group`). */
  more?: { eventId: string; payload: OutboxEventPayloads[Type] }[];
}

/** Every outbox row a job carries. */
export function eventIdsOf(job: Pick<OutboxJobData, 'eventId' | 'more'>): string[] {
  return [job.eventId, ...(job.more ?? []).map((event) => event.eventId)];
}

/** Deterministic job id: the same outbox row (or group of rows) always becomes the same job. */
export function jobIdForEvent(eventId: string, lastEventId?: string): string {
  return lastEventId && lastEventId !== eventId ? `evt-${eventId}-${lastEventId}` : `evt-${eventId}`;
}
