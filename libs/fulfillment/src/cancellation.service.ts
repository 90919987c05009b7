import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictError, isId, NewOutboxEvent, NotFoundError, OutboxService, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { InventoryService, StockItem } from '@gongxiao/inventory';
import { CancellationOutcomeDto, InterceptionResponseDto } from './cancellation.dto';
import { FULFILLMENT_ORDER_LIFECYCLE } from './fulfillment-order.lifecycle';
import { FulfillmentStatus } from './fulfillment.dto';

interface LockedOrder {
  id: string;
  merchant_id: string;
  status: string;
  cancel_requested_at: Date | null;
}

interface LineRow {
  id: string;
  fulfillment_order_id: string;
  channel_order_id: string;
  sku_id: string;
  quantity: number;
  shipped_quantity: number;
  cancelled_quantity: number;
}

interface InterceptionRow {
  id: string;
  fulfillment_order_id: string;
  status: string;
  created_at: Date;
  answered_at: Date | null;
  note: string | null;
}

const toInterception = (row: InterceptionRow): InterceptionResponseDto => ({
  id: String(row.id),
  fulfillmentOrderId: String(row.fulfillment_order_id),
  status: row.status,
  createdAt: new Date(row.created_at).toISOString(),
  answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
  note: row.note,
});

/**
 * A consumer's cancellation, racing the supplier's shipment on the same fulfillment order rows:
 * locks the fulfillment orders first (the order shipments lock them in), then the shop order.
 * Whatever has not shipped is cancelled at once (reservation released, supplier told); whatever has
 * shipped becomes an interception request. Exactly one of cancel and ship wins each row.
 */
@Injectable()
export class CancellationService {
  constructor(
    private readonly em: EntityManager,
    private readonly inventory: InventoryService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * `repeatIsFine`: a shop re-pushing its cancellation gets the same answer (idempotent); a person
   * cancelling a cancelled order through the API gets a 409.
   */
  async cancel(merchantId: string, channelOrderId: string, reason: string | null, repeatIsFine: boolean): Promise<CancellationOutcomeDto> {
    return this.em.transactional(async (em) => {
      const known = isId(channelOrderId) ? await sqlOne<{ id: string }>(em, `select id from channel_order where id = ? and merchant_id = ?`, [channelOrderId, merchantId]) : undefined;
      if (!known) throw new NotFoundError('channel order', channelOrderId);
      const foIds = async () =>
        (await sqlRows<{ id: string }>(em, `select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = ?`, [channelOrderId])).map((row) => row.id);
      const lockFulfillmentOrders = (ids: string[]) =>
        sqlRows<{ id: string; status: FulfillmentStatus; warehouse_id: string; supplier_merchant_id: string }>(
          em,
          `select id::text, status, warehouse_id::text, supplier_merchant_id::text from fulfillment_order where id = any(?::bigint[]) order by id for update`,
          [ids],
        );
      let locked = await lockFulfillmentOrders(await foIds());
      const order = (await sqlOne<LockedOrder>(em, `select id::text, merchant_id::text, status, cancel_requested_at from channel_order where id = ? for update`, [channelOrderId]))!;
      // Routing may have committed between the first read and the order lock: take its new rows too.
      const late = (await foIds()).filter((id) => !locked.some((fo) => fo.id === id));
      if (late.length > 0) locked = [...locked, ...(await lockFulfillmentOrders(late))];

      if (order.status === 'cancelled' || order.cancel_requested_at) {
        if (!repeatIsFine) {
          throw new ConflictError('channel_order_already_cancelled', `This order was already ${order.status === 'cancelled' ? 'cancelled' : 'asked to be cancelled'}.`, [
            { field: 'status', reason: `current status is ${order.status}` },
          ]);
        }
        return this.summary(order.id, order.status === 'cancelled' ? 'cancelled' : 'interception_requested', 0, 0);
      }
      if (order.status === 'received' || order.status === 'exception') {
        await sqlExec(em, `update channel_order set status = 'cancelled', cancel_requested_at = now(), cancel_reason = ?, updated_at = now() where id = ?`, [reason, order.id]);
        return this.summary(order.id, 'cancelled', 0, 0);
      }

      const lines = await sqlRows<LineRow>(em, `select * from fulfillment_order_line where channel_order_id = ? order by id for update`, [order.id]);
      const release: StockItem[] = [];
      const events: NewOutboxEvent[] = [];
      let cancelledOrders = 0;
      let interceptions = 0;
      for (const fo of locked) {
        const own = lines.filter((line) => String(line.fulfillment_order_id) === fo.id);
        const unshipped = own.filter((line) => line.quantity - line.shipped_quantity - line.cancelled_quantity > 0);
        for (const line of unshipped) {
          const quantity = line.quantity - line.shipped_quantity - line.cancelled_quantity;
          release.push({ warehouseId: fo.warehouse_id, skuId: String(line.sku_id), quantity });
          await sqlExec(em, `update fulfillment_order_line set cancelled_quantity = cancelled_quantity + ? where id = ?`, [quantity, line.id]);
        }
        if (unshipped.length > 0) {
          cancelledOrders++;
          events.push({ type: 'fulfillment_order.cancelled', merchantId: fo.supplier_merchant_id, aggregateId: fo.id, payload: { fulfillmentOrderId: fo.id, channelOrderId: order.id } });
        }
        // The fulfillment order's own state follows what is left on all its lines (it may hold other orders' lines).
        const left = await sqlOne<{ open: number; shipped: number }>(
          em,
          `select coalesce(sum(quantity - shipped_quantity - cancelled_quantity), 0)::int as open, coalesce(sum(shipped_quantity), 0)::int as shipped
             from fulfillment_order_line where fulfillment_order_id = ?`,
          [fo.id],
        );
        const next: FulfillmentStatus | null = left!.open > 0 ? null : left!.shipped > 0 ? 'shipped' : 'cancelled';
        if (next && next !== fo.status) {
          FULFILLMENT_ORDER_LIFECYCLE.assert(fo.status, next, 'cancel');
          await sqlExec(em, `update fulfillment_order set status = ?, updated_at = now(), shipped_at = case when ? = 'shipped' then coalesce(shipped_at, now()) else shipped_at end where id = ?`, [next, next, fo.id]);
        }
        if (own.some((line) => line.shipped_quantity > 0)) {
          const created = await sqlOne<{ id: string }>(
            em,
            `insert into interception_request (fulfillment_order_id, channel_order_id, supplier_merchant_id) values (?, ?, ?) on conflict do nothing returning id::text`,
            [fo.id, order.id, fo.supplier_merchant_id],
          );
          if (created) {
            interceptions++;
            events.push({ type: 'interception.requested', merchantId: fo.supplier_merchant_id, aggregateId: created.id, payload: { interceptionRequestId: created.id } });
          }
        }
      }
      await this.inventory.releaseReservation(em, release, `cancel:channel_order:${order.id}`);
      await this.outbox.append(em, events);
      const outcome = interceptions > 0 ? 'interception_requested' : 'cancelled';
      await sqlExec(em, `update channel_order set status = case when ? then 'cancelled' else status end, cancel_requested_at = now(), cancel_reason = ?, updated_at = now() where id = ?`, [
        outcome === 'cancelled',
        reason,
        order.id,
      ]);
      return this.summary(order.id, outcome, cancelledOrders, interceptions);
    });
  }

  async listInterceptions(supplierMerchantId: string): Promise<InterceptionResponseDto[]> {
    const rows = await sqlRows<InterceptionRow>(this.em, `select * from interception_request where supplier_merchant_id = ? order by id desc limit 500`, [supplierMerchantId]);
    return rows.map(toInterception);
  }

  async answerInterception(supplierMerchantId: string, interceptionId: string, outcome: 'intercepted' | 'failed', note: string | null): Promise<InterceptionResponseDto> {
    return this.em.transactional(async (em) => {
      const row = isId(interceptionId)
        ? await sqlOne<InterceptionRow>(em, `select * from interception_request where id = ? and supplier_merchant_id = ? for update`, [interceptionId, supplierMerchantId])
        : undefined;
      if (!row) throw new NotFoundError('interception request', interceptionId);
      if (row.status !== 'requested') {
        throw new ConflictError('interception_already_answered', `This interception was already answered: ${row.status}.`, [{ field: 'status', reason: `current status is ${row.status}` }]);
      }
      const updated = (await sqlOne<InterceptionRow>(em, `update interception_request set status = ?, note = ?, answered_at = now() where id = ? returning *`, [outcome, note, row.id]))!;
      return toInterception(updated);
    });
  }

  private summary(channelOrderId: string, outcome: 'cancelled' | 'interception_requested', cancelled: number, interceptions: number): CancellationOutcomeDto {
    return {
      channelOrderId,
      outcome,
      cancelledFulfillmentOrders: cancelled,
      interceptionsRequested: interceptions,
      message:
        outcome === 'cancelled'
          ? 'Cancelled: nothing had shipped; the supplier was told not to ship.'
          : 'Already shipped: interception requested from the supplier; anything not yet shipped was cancelled.',
    };
  }
}
