import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CatalogService } from '@gongxiao/catalog';
import { WebhooksService } from '@gongxiao/webhooks';
import { FulfillmentOrderResponseDto } from './fulfillment.dto';
import { FulfillmentOrderRow, FulfillmentService } from './fulfillment.service';

/** A notice for supplier ERPs about fulfillment orders. */
interface ErpNotice {
  type: string;
  /** The same key never makes a second delivery. */
  dedupKey: (fulfillmentOrderId: string) => string;
  skip?: (order: FulfillmentOrderRow) => boolean;
  /** Only for orders whose ERP was told about them ("created" scheduled before). */
  onlyAnnounced?: boolean;
  withShipments?: boolean;
  data?: (view: FulfillmentOrderResponseDto) => unknown;
}

/**
 * Every ERP notice of one fulfillment order shares this key, so that its deliveries reach the ERP
 * in the order they were scheduled (a "cancelled" never overtakes a retried "created").
 */
export function erpOrderingKey(fulfillmentOrderId: string): string {
  return `fulfillment_order:${fulfillmentOrderId}`;
}

const createdKey = (fulfillmentOrderId: string) => `erp:fulfillment_order.created:${fulfillmentOrderId}`;

/**
 * The one route by which fulfillment orders and what happens to them reach supplier ERPs: routing
 * (new orders of warehouses without a merge window) and the release of a merge window both schedule
 * "created" here, cancellation and interception their notices. Deliveries are scheduled in the
 * caller's transaction (they leave at commit), with one statement for the whole batch; inbox
 * warehouses get none.
 */
@Injectable()
export class ErpDispatch {
  constructor(
    private readonly fulfillment: FulfillmentService,
    private readonly catalog: CatalogService,
    private readonly webhooks: WebhooksService,
  ) {}

  /** New fulfillment orders, POSTed to their warehouses' ERP: once per order, never when it was cancelled first. */
  async scheduleCreated(em: EntityManager, fulfillmentOrderIds: string[]): Promise<void> {
    await this.schedule(em, fulfillmentOrderIds, {
      type: 'fulfillment_order.created',
      dedupKey: createdKey,
      skip: (order) => order.status === 'cancelled',
    });
  }

  /** A fulfillment order (or one shop order's lines in it) must not ship; `eventId` is the cancellation's outbox event. */
  async scheduleCancelled(em: EntityManager, fulfillmentOrderId: string, eventId: string): Promise<void> {
    await this.schedule(em, [fulfillmentOrderId], {
      type: 'fulfillment_order.cancelled',
      dedupKey: () => `erp:fulfillment_order.cancelled:${eventId}`,
      // An ERP never heard of an order still in its merge window, nor of one whose release it was
      // not yet told about: the "created" notice scheduled after this carries the cancelled units.
      skip: (order) => order.status === 'pending_merge' || order.status === 'awaiting_production',
      onlyAnnounced: true,
      data: (view) => ({ ...view, doNotShip: view.lines.filter((line) => line.cancelledQuantity > 0).map((line) => ({ lineId: line.id, quantity: line.cancelledQuantity })) }),
    });
  }

  /** Asks the ERP to intercept a parcel that left before the consumer cancelled. */
  async scheduleInterception(em: EntityManager, request: { id: string; fulfillmentOrderId: string }): Promise<void> {
    await this.schedule(em, [request.fulfillmentOrderId], {
      type: 'interception.requested',
      dedupKey: () => `erp:interception.requested:${request.id}`,
      withShipments: true,
      data: (view) => ({ interceptionRequestId: request.id, fulfillmentOrder: view }),
    });
  }

  /**
   * The fulfillment orders are locked first: two notices of one order are scheduled one after the
   * other, so the order their deliveries were created in (which decides the order they are sent in)
   * is the order in which they were decided.
   */
  private async schedule(em: EntityManager, fulfillmentOrderIds: string[], notice: ErpNotice): Promise<void> {
    let orders = (await this.fulfillment.findForSystem(em, fulfillmentOrderIds, { lock: true })).filter((order) => !notice.skip?.(order));
    if (notice.onlyAnnounced && orders.length > 0) {
      const announced = await this.webhooks.dedupKeysTaken(
        em,
        orders.map((order) => createdKey(order.id)),
      );
      orders = orders.filter((order) => announced.has(createdKey(order.id)));
    }
    const warehouses = await this.catalog.warehousesById(orders.map((order) => String(order.warehouse_id)));
    const toErp = orders.filter((order) => {
      const warehouse = warehouses.get(String(order.warehouse_id));
      return warehouse?.receiveMode === 'erp_webhook' && Boolean(warehouse.erpWebhookUrl);
    });
    if (toErp.length === 0) return;
    const views = await this.fulfillment.present(em, toErp, notice.withShipments ?? false);
    await this.webhooks.scheduleAll(
      em,
      toErp.map((order) => {
        const warehouse = warehouses.get(String(order.warehouse_id))!;
        const view = views.get(order.id)!;
        return {
          merchantId: String(order.supplier_merchant_id),
          targetKind: 'warehouse_erp' as const,
          targetId: warehouse.id,
          eventType: notice.type,
          subjectId: order.id,
          dedupKey: notice.dedupKey(order.id),
          orderingKey: erpOrderingKey(order.id),
          url: warehouse.erpWebhookUrl!,
          data: notice.data ? notice.data(view) : view,
        };
      }),
    );
  }
}
