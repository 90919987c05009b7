import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { ChannelsService } from '@gongxiao/channels';
import { OrdersService } from '@gongxiao/orders';
import { WebhooksService } from '@gongxiao/webhooks';
import { FulfillmentOrderResponseDto } from './fulfillment.dto';
import { FulfillmentOrderRow, FulfillmentService } from './fulfillment.service';

/** A merge window has closed: the fulfillment order goes to its supplier. */
@Injectable()
export class ReleaseFulfillmentOrderJob implements OutboxJobHandler<'fulfillment_order.merge_window_opened'> {
  readonly eventType = 'fulfillment_order.merge_window_opened' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.merge_window_opened'>): Promise<void> {
    await this.em.transactional(async (em) => {
      const row = await sqlOne<{ id: string; status: string; due: boolean; supplier_merchant_id: string }>(
        em,
        `select id, status, supplier_merchant_id, release_at <= now() as due from fulfillment_order where id = ? for update`,
        [job.payload.fulfillmentOrderId],
      );
      if (row?.status === 'pending_merge') {
        if (!row.due) throw new Error(`Fulfillment order ${row.id} is not due for release yet`);
        await sqlExec(em, `update fulfillment_order set status = 'new', released_at = now(), updated_at = now() where id = ?`, [row.id]);
        // Inbox warehouses see it now; ERP warehouses also get it POSTed (the dispatch job decides).
        await this.outbox.append(em, [
          { type: 'fulfillment_order.released', merchantId: String(row.supplier_merchant_id), aggregateId: String(row.id), payload: { fulfillmentOrderId: String(row.id) } },
        ]);
      }
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}

/** An event for supplier ERPs about fulfillment orders. */
export interface ErpEvent {
  type: string;
  /** The same key never makes a second delivery. */
  dedupKey: (fulfillmentOrderId: string) => string;
  skip?: (order: FulfillmentOrderRow) => boolean;
  withShipments?: boolean;
  data?: (view: FulfillmentOrderResponseDto) => unknown;
}

/** A new fulfillment order, POSTed to its warehouse's ERP: once per order, never when it was cancelled first. */
export const FULFILLMENT_ORDER_CREATED: ErpEvent = {
  type: 'fulfillment_order.created',
  dedupKey: (id) => `erp:fulfillment_order.created:${id}`,
  skip: (order) => order.status === 'cancelled',
};

/** Fulfillment orders dispatched to their warehouses' ERP endpoints per run at most (the relay's group for the type). */
const DISPATCH_BATCH_SIZE = JOB_ROUTES['fulfillment_order.released'].group ?? 1;

/** Sends fulfillment order events to their warehouses' ERP endpoints, for warehouses that take orders that way. */
@Injectable()
export class ErpNotifier {
  constructor(
    private readonly fulfillment: FulfillmentService,
    private readonly catalog: CatalogService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** Schedules the signed deliveries in the caller's transaction; inbox warehouses and orders `skip` names get none. */
  async notify(em: EntityManager, fulfillmentOrderIds: string[], event: ErpEvent): Promise<void> {
    const orders = (await this.fulfillment.findForSystem(em, fulfillmentOrderIds)).filter((order) => !event.skip?.(order));
    const warehouses = await this.catalog.warehousesById(orders.map((order) => String(order.warehouse_id)));
    const toErp = orders.filter((order) => {
      const warehouse = warehouses.get(String(order.warehouse_id));
      return warehouse?.receiveMode === 'erp_webhook' && Boolean(warehouse.erpWebhookUrl);
    });
    if (toErp.length === 0) return;
    const views = await this.fulfillment.present(em, toErp, event.withShipments ?? false);
    await this.webhooks.scheduleAll(
      em,
      toErp.map((order) => {
        const warehouse = warehouses.get(String(order.warehouse_id))!;
        const view = views.get(order.id)!;
        return {
          merchantId: String(order.supplier_merchant_id),
          targetKind: 'warehouse_erp' as const,
          targetId: warehouse.id,
          eventType: event.type,
          subjectId: order.id,
          dedupKey: event.dedupKey(order.id),
          url: warehouse.erpWebhookUrl!,
          data: event.data ? event.data(view) : view,
        };
      }),
    );
  }
}

/**
 * Fulfillment orders reached their supplier after a merge window closed: POST each to its
 * warehouse's ERP endpoint when it has one (routing schedules the others itself). Under load one
 * job dispatches every released order waiting behind it.
 */
@Injectable()
export class DispatchFulfillmentOrderJob implements OutboxJobHandler<'fulfillment_order.released'> {
  readonly eventType = 'fulfillment_order.released' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly erp: ErpNotifier,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.released'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, DISPATCH_BATCH_SIZE, (em, payloads) =>
      this.erp.notify(
        em,
        payloads.map((payload) => payload.fulfillmentOrderId),
        FULFILLMENT_ORDER_CREATED,
      ),
    );
  }
}

/** A shipment was recorded: tell the shop (callback URL), so it can mark the order shipped. */
@Injectable()
export class NotifyShopOfShipmentJob implements OutboxJobHandler<'channel_order.shipment_recorded'> {
  readonly eventType = 'channel_order.shipment_recorded' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly orders: OrdersService,
    private readonly channels: ChannelsService,
    private readonly webhooks: WebhooksService,
  ) {}

  async handle(job: OutboxJobData<'channel_order.shipment_recorded'>): Promise<void> {
    const { channelOrderId, shipmentId } = job.payload;
    await this.em.transactional(async (em) => {
      const order = (await this.orders.ordersById(em, [channelOrderId])).get(channelOrderId);
      const shop = order ? await this.channels.shopForSystem(String(order.shop_id)) : null;
      if (order && shop?.callbackUrl) {
        const shipped = await sqlRows<{ carrier_code: string; tracking_number: string; line_no: number; shop_sku_code: string; quantity: number }>(
          em,
          `select s.carrier_code, s.tracking_number, col.line_no, col.shop_sku_code, sl.quantity
             from shipment s
             join shipment_line sl on sl.shipment_id = s.id
             join fulfillment_order_line fol on fol.id = sl.fulfillment_order_line_id
             join channel_order_line col on col.id = fol.channel_order_line_id
            where s.id = ? and fol.channel_order_id = ? order by col.line_no`,
          [shipmentId, channelOrderId],
        );
        await this.webhooks.schedule(em, {
          merchantId: String(order.merchant_id),
          targetKind: 'shop_callback',
          targetId: shop.id,
          eventType: (job.payload.orderStatus ?? order.status) === 'shipped' ? 'channel_order.shipped' : 'channel_order.partially_shipped',
          subjectId: channelOrderId,
          dedupKey: `shop:shipment:${shipmentId}:${channelOrderId}`,
          url: shop.callbackUrl,
          data: {
            channelOrderId,
            externalOrderId: order.external_order_id,
            status: job.payload.orderStatus ?? order.status,
            shipment: {
              id: shipmentId,
              carrierCode: shipped[0]?.carrier_code,
              trackingNumber: shipped[0]?.tracking_number,
              lines: shipped.map((line) => ({ lineNo: line.line_no, shopSkuCode: line.shop_sku_code, quantity: line.quantity })),
            },
          },
        });
      }
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}

/** Tell an ERP warehouse at once that a fulfillment order (or one shop order's lines in it) must not ship. */
@Injectable()
export class NotifyCancellationJob implements OutboxJobHandler<'fulfillment_order.cancelled'> {
  readonly eventType = 'fulfillment_order.cancelled' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly erp: ErpNotifier,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.cancelled'>): Promise<void> {
    await this.em.transactional(async (em) => {
      await this.erp.notify(em, [job.payload.fulfillmentOrderId], {
        type: 'fulfillment_order.cancelled',
        dedupKey: () => `erp:fulfillment_order.cancelled:${job.eventId}`,
        // An ERP never heard of an order still in its merge window (its release carries the cancelled units).
        skip: (order) => order.status === 'pending_merge',
        data: (view) => ({ ...view, doNotShip: view.lines.filter((line) => line.cancelledQuantity > 0).map((line) => ({ lineId: line.id, quantity: line.cancelledQuantity })) }),
      });
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}

/** Ask an ERP warehouse to intercept a parcel that left before the consumer cancelled. */
@Injectable()
export class NotifyInterceptionJob implements OutboxJobHandler<'interception.requested'> {
  readonly eventType = 'interception.requested' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly erp: ErpNotifier,
  ) {}

  async handle(job: OutboxJobData<'interception.requested'>): Promise<void> {
    await this.em.transactional(async (em) => {
      const request = await sqlOne<{ id: string; fulfillment_order_id: string }>(em, `select id::text, fulfillment_order_id::text from interception_request where id = ?`, [
        job.payload.interceptionRequestId,
      ]);
      if (request) {
        await this.erp.notify(em, [request.fulfillment_order_id], {
          type: 'interception.requested',
          dedupKey: () => `erp:interception.requested:${request.id}`,
          withShipments: true,
          data: (view) => ({ interceptionRequestId: request.id, fulfillmentOrder: view }),
        });
      }
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
