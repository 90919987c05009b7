import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictError, DomainError, isId, NewOutboxEvent, NotFoundError, OutboxService, payloadHash, sqlExec, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { InventoryService, StockItem } from '@gongxiao/inventory';
import { WebhooksService } from '@gongxiao/webhooks';
import { CancellationOutcomeDto, CancelOrderDto, InterceptionResponseDto, SkuCancellationRateDto } from './cancellation.dto';
import { FULFILLMENT_ORDER_LIFECYCLE } from './fulfillment-order.lifecycle';
import { FulfillmentStatus } from './fulfillment.dto';
import { FulfillmentLineRow } from './fulfillment.service';

interface LockedOrder {
  id: string;
  merchant_id: string;
  status: string;
  cancel_requested_at: Date | null;
}

interface InterceptionRow {
  id: string;
  fulfillment_order_id: string;
  status: string;
  created_at: Date;
  answered_at: Date | null;
  escalated_at: Date | null;
  note: string | null;
}

/** The order was routed while a cancellation waited for it: the cancellation starts again. */
class RoutedMeanwhile extends Error {}

const toInterception = (row: InterceptionRow): InterceptionResponseDto => ({
  id: String(row.id),
  fulfillmentOrderId: String(row.fulfillment_order_id),
  status: row.status,
  createdAt: new Date(row.created_at).toISOString(),
  answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
  escalatedAt: row.escalated_at ? new Date(row.escalated_at).toISOString() : null,
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
    private readonly webhooks: WebhooksService,
  ) {}

  /**
   * Cancels a whole order, or some of its lines (`input.lines`, a routed order only).
   * `repeatIsFine`: a shop re-pushing its cancellation gets the same answer (a partial one needs
   * its `cancellationId`); a person cancelling a cancelled order through the API gets a 409.
   */
  async cancel(merchantId: string, channelOrderId: string, input: CancelOrderDto, repeatIsFine: boolean): Promise<CancellationOutcomeDto> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.cancelOnce(merchantId, channelOrderId, input, repeatIsFine);
      } catch (error) {
        if (!(error instanceof RoutedMeanwhile) || attempt >= 3) throw error;
      }
    }
  }

  private async cancelOnce(merchantId: string, channelOrderId: string, input: CancelOrderDto, repeatIsFine: boolean): Promise<CancellationOutcomeDto> {
    return this.em.transactional(async (em) => {
      const known = isId(channelOrderId) ? await sqlOne<{ id: string }>(em, `select id from channel_order where id = ? and merchant_id = ?`, [channelOrderId, merchantId]) : undefined;
      if (!known) throw new NotFoundError('channel order', channelOrderId);
      if (repeatIsFine && input.cancellationId) {
        // Claim the shop's cancellation id first: a concurrent repeat waits here, then reads the answer.
        const claimed = await sqlOne(
          em,
          `insert into idempotency_record (merchant_id, idempotency_key, request_hash) values (?, ?, ?) on conflict do nothing returning 1 as claimed`,
          [merchantId, this.cancellationKey(channelOrderId, input.cancellationId), payloadHash(input)],
        );
        if (!claimed) return this.previousAnswer(em, merchantId, channelOrderId, input);
      }
      const foIds = async () =>
        (await sqlRows<{ id: string }>(em, `select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = ?`, [channelOrderId])).map((row) => row.id);
      const lockFulfillmentOrders = (ids: string[]) =>
        sqlRows<{ id: string; status: FulfillmentStatus; warehouse_id: string; supplier_merchant_id: string }>(
          em,
          `select id::text, status, warehouse_id::text, supplier_merchant_id::text from fulfillment_order where id = any(?::bigint[]) order by id for update`,
          [ids],
        );
      const locked = await lockFulfillmentOrders(await foIds());
      const order = (await sqlOne<LockedOrder>(em, `select id::text, merchant_id::text, status, cancel_requested_at from channel_order where id = ? for update`, [channelOrderId]))!;
      // Routing committed between the first read and the order lock: start again, so that its new
      // fulfillment orders are locked before the order, as shipments lock them.
      if ((await foIds()).some((id) => !locked.some((fo) => fo.id === id))) throw new RoutedMeanwhile();
      const reason = input.reason ?? null;
      const whole = !input.lines;

      if (order.status === 'cancelled' || (whole && order.cancel_requested_at)) {
        if (!repeatIsFine) {
          throw new ConflictError('channel_order_already_cancelled', `This order was already ${order.status === 'cancelled' ? 'cancelled' : 'asked to be cancelled'}.`, [
            { field: 'status', reason: `current status is ${order.status}` },
          ]);
        }
        return this.remember(em, merchantId, order.id, input, this.summary(order.id, order.status === 'cancelled' ? 'cancelled' : 'interception_requested', 0, 0));
      }
      if (order.status === 'received' || order.status === 'exception') {
        if (!whole) {
          throw new ConflictError('order_not_routed', 'Only a routed order can be cancelled line by line: cancel the whole order, or wait until it is routed.', [
            { field: 'lines', reason: `current status is ${order.status}` },
          ]);
        }
        await sqlExec(em, `update channel_order set status = 'cancelled', cancel_requested_at = now(), cancel_reason = ?, updated_at = now() where id = ?`, [reason, order.id]);
        await sqlExec(em, `update channel_order_line set cancelled_quantity = quantity - shipped_quantity where channel_order_id = ?`, [order.id]);
        return this.remember(em, merchantId, order.id, input, this.summary(order.id, 'cancelled', 0, 0));
      }

      const channelLines = await sqlRows<{ id: string; line_no: number; quantity: number; shipped_quantity: number; cancelled_quantity: number }>(
        em,
        `select id::text, line_no, quantity, shipped_quantity, cancelled_quantity from channel_order_line where channel_order_id = ? order by line_no for update`,
        [order.id],
      );
      const wanted = this.wantedPerLine(channelLines, input);
      const lines = await sqlRows<FulfillmentLineRow>(em, `select * from fulfillment_order_line where channel_order_id = ? order by id for update`, [order.id]);
      const release: StockItem[] = [];
      const events: NewOutboxEvent[] = [];
      const touchedOrders = new Set<string>();
      // Per parcel (fulfillment order): shipped units per line the consumer wants stopped.
      const interceptFor = new Map<string, Map<string, number>>();
      for (const [channelLineId, quantity] of wanted) {
        let left = quantity;
        for (const line of lines.filter((item) => String(item.channel_order_line_id) === channelLineId)) {
          const open = line.quantity - line.shipped_quantity - line.cancelled_quantity;
          const take = Math.min(open, left);
          if (take > 0) {
            const fo = locked.find((item) => item.id === String(line.fulfillment_order_id))!;
            release.push({ warehouseId: fo.warehouse_id, skuId: String(line.sku_id), quantity: take });
            await sqlExec(em, `update fulfillment_order_line set cancelled_quantity = cancelled_quantity + ? where id = ?`, [take, line.id]);
            await sqlExec(em, `update channel_order_line set cancelled_quantity = cancelled_quantity + ? where id = ?`, [take, channelLineId]);
            line.cancelled_quantity += take;
            touchedOrders.add(fo.id);
            left -= take;
          }
        }
        // What remains had already left the warehouse: ask those parcels' suppliers to intercept,
        // unless a return case already carries every shipped unit back.
        for (const line of lines.filter((item) => String(item.channel_order_line_id) === channelLineId)) {
          const take = Math.min(left, line.shipped_quantity - line.returned_quantity);
          if (take <= 0) continue;
          const perLine = interceptFor.get(String(line.fulfillment_order_id)) ?? new Map<string, number>();
          perLine.set(String(line.id), take);
          interceptFor.set(String(line.fulfillment_order_id), perLine);
          left -= take;
        }
      }
      let interceptions = 0;
      for (const fo of locked) {
        if (touchedOrders.has(fo.id)) {
          events.push({ type: 'fulfillment_order.cancelled', merchantId: fo.supplier_merchant_id, aggregateId: fo.id, payload: { fulfillmentOrderId: fo.id, channelOrderId: order.id } });
          // Its own state follows what is left on all its lines (it may hold other orders' lines).
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
        }
        const units = interceptFor.get(fo.id);
        if (units) {
          const created = await sqlOne<{ id: string }>(
            em,
            `insert into interception_request (fulfillment_order_id, channel_order_id, supplier_merchant_id) values (?, ?, ?)
             on conflict (fulfillment_order_id, channel_order_id) where status = 'requested' do nothing returning id::text`,
            [fo.id, order.id, fo.supplier_merchant_id],
          );
          if (created) {
            interceptions++;
            events.push({ type: 'interception.requested', merchantId: fo.supplier_merchant_id, aggregateId: created.id, payload: { interceptionRequestId: created.id } });
          }
          // A later cancellation while the request is open adds its units to it, never beyond what shipped.
          await sqlExec(
            em,
            `insert into interception_request_line (interception_request_id, fulfillment_order_line_id, quantity)
             select (select id from interception_request where fulfillment_order_id = ? and channel_order_id = ? and status = 'requested'), r.line_id, r.quantity
               from unnest(?::bigint[], ?::int[]) as r(line_id, quantity)
             on conflict (interception_request_id, fulfillment_order_line_id) do update
               set quantity = least(interception_request_line.quantity + excluded.quantity,
                                    (select shipped_quantity - returned_quantity from fulfillment_order_line where id = excluded.fulfillment_order_line_id))`,
            [fo.id, order.id, [...units.keys()], [...units.values()]],
          );
        }
      }
      await this.inventory.releaseReservation(em, release, `cancel:channel_order:${order.id}`);
      await this.outbox.append(em, events);
      const state = await sqlOne<{ all_cancelled: boolean; open: number }>(
        em,
        `select bool_and(cancelled_quantity = quantity) as all_cancelled, sum(quantity - shipped_quantity - cancelled_quantity)::int as open
           from channel_order_line where channel_order_id = ?`,
        [order.id],
      );
      const nextStatus = state!.all_cancelled ? 'cancelled' : state!.open === 0 && order.status !== 'routed' ? 'shipped' : order.status;
      await sqlExec(
        em,
        `update channel_order set status = ?, cancel_requested_at = case when ? then now() else cancel_requested_at end, cancel_reason = coalesce(?, cancel_reason), updated_at = now() where id = ?`,
        [nextStatus, whole, reason, order.id],
      );
      const open = interceptFor.size > 0 ? await sqlOne<{ n: number }>(em, `select count(*)::int as n from interception_request where channel_order_id = ? and status = 'requested'`, [order.id]) : undefined;
      const outcome = interceptions > 0 || (open?.n ?? 0) > 0 ? 'interception_requested' : 'cancelled';
      return this.remember(em, merchantId, order.id, input, this.summary(order.id, outcome, touchedOrders.size, interceptions));
    });
  }

  /** Units to cancel per channel order line id, checked against what is left of each line. */
  private wantedPerLine(
    channelLines: { id: string; line_no: number; quantity: number; shipped_quantity: number; cancelled_quantity: number }[],
    input: CancelOrderDto,
  ): Map<string, number> {
    if (!input.lines) return new Map(channelLines.map((line) => [line.id, line.quantity - line.cancelled_quantity]));
    const wanted = new Map<string, number>();
    input.lines.forEach((requested, index) => {
      const line = channelLines.find((item) => item.line_no === requested.lineNo);
      if (!line) throw ValidationFailedError.field(`lines[${index}].lineNo`, `this order has no line ${requested.lineNo}`);
      if (wanted.has(line.id)) throw ValidationFailedError.field(`lines[${index}].lineNo`, 'appears twice');
      const cancellable = line.quantity - line.cancelled_quantity;
      const quantity = requested.quantity ?? cancellable;
      if (quantity === 0 || quantity > cancellable) {
        throw new DomainError('invalid', 'cancel_exceeds_order', `Line ${requested.lineNo}: ${quantity} unit(s) to cancel but ${cancellable} can still be cancelled.`, [
          { field: `lines[${index}].quantity`, reason: `at most ${cancellable}` },
        ]);
      }
      wanted.set(line.id, quantity);
    });
    return wanted;
  }

  /** A shop's partial cancellation repeated with its cancellationId answers the first answer again. */
  private async previousAnswer(em: EntityManager, merchantId: string, channelOrderId: string, input: CancelOrderDto): Promise<CancellationOutcomeDto> {
    const stored = (await sqlOne<{ request_hash: string; response_body: CancellationOutcomeDto }>(
      em,
      `select request_hash, response_body from idempotency_record where merchant_id = ? and idempotency_key = ?`,
      [merchantId, this.cancellationKey(channelOrderId, input.cancellationId!)],
    ))!;
    if (stored.request_hash !== payloadHash(input)) {
      throw new ConflictError('cancellation_id_reused', `Cancellation ${input.cancellationId} was already received with other content.`, [
        { field: 'cancellationId', reason: 'already used with other content' },
      ]);
    }
    return stored.response_body;
  }

  private async remember(em: EntityManager, merchantId: string, channelOrderId: string, input: CancelOrderDto, answer: CancellationOutcomeDto): Promise<CancellationOutcomeDto> {
    if (input.cancellationId) {
      await sqlExec(em, `update idempotency_record set status_code = 200, response_body = ?::jsonb where merchant_id = ? and idempotency_key = ?`, [
        JSON.stringify(answer),
        merchantId,
        this.cancellationKey(channelOrderId, input.cancellationId),
      ]);
    }
    return answer;
  }

  /** Kept apart from Idempotency-Key headers (which never contain a space). */
  private cancellationKey(channelOrderId: string, cancellationId: string): string {
    return `shop cancellation ${channelOrderId} ${cancellationId}`;
  }

  /**
   * Escalates interception requests the supplier left unanswered for `minutes`: each once, as an
   * event to the supplier's and the distributor's subscriptions. Returns how many were escalated.
   */
  async escalateOverdue(minutes: number): Promise<number> {
    return this.em.transactional(async (em) => {
      const overdue = await sqlRows<{ id: string; fulfillment_order_id: string; channel_order_id: string; supplier_merchant_id: string; distributor_merchant_id: string }>(
        em,
        `update interception_request i set escalated_at = now()
           from channel_order c
          where i.channel_order_id = c.id and i.status = 'requested' and i.escalated_at is null
            and i.created_at < now() - make_interval(mins => ?)
            and i.id in (select id from interception_request where status = 'requested' and escalated_at is null order by id limit 500 for update skip locked)
          returning i.id::text, i.fulfillment_order_id::text, i.channel_order_id::text, i.supplier_merchant_id::text, c.merchant_id::text as distributor_merchant_id`,
        [minutes],
      );
      for (const row of overdue) {
        await this.webhooks.publish(em, [row.supplier_merchant_id, row.distributor_merchant_id], 'interception.escalated', row.id, `interception-escalated:${row.id}`, (merchantId) => ({
          interceptionRequestId: row.id,
          ...(merchantId === row.supplier_merchant_id ? { fulfillmentOrderId: row.fulfillment_order_id } : { channelOrderId: row.channel_order_id }),
          unansweredForMinutes: minutes,
        }));
      }
      return overdue.length;
    });
  }

  /**
   * Cancellation figures of the supplier's own SKUs (units routed to it, units cancelled before
   * shipping, parcels that needed an interception), for the quality rules to come.
   */
  async cancellationRates(supplierMerchantId: string): Promise<SkuCancellationRateDto[]> {
    const rows = await sqlRows<{ sku_id: string; code: string; ordered: number; cancelled: number; intercepted_orders: number }>(
      this.em,
      `select l.sku_id::text, s.code, sum(l.quantity)::int as ordered, sum(l.cancelled_quantity)::int as cancelled,
              (select count(*) from interception_request i join fulfillment_order_line il on il.fulfillment_order_id = i.fulfillment_order_id and il.channel_order_id = i.channel_order_id
                where il.sku_id = l.sku_id and i.supplier_merchant_id = ?)::int as intercepted_orders
         from fulfillment_order_line l
         join fulfillment_order o on o.id = l.fulfillment_order_id
         join sku s on s.id = l.sku_id
        where o.supplier_merchant_id = ?
        group by l.sku_id, s.code order by s.code`,
      [supplierMerchantId, supplierMerchantId],
    );
    return rows.map((row) => ({
      skuId: row.sku_id,
      skuCode: row.code,
      unitsOrdered: row.ordered,
      unitsCancelled: row.cancelled,
      interceptions: row.intercepted_orders,
      cancellationRate: row.ordered === 0 ? 0 : Math.round((row.cancelled / row.ordered) * 10_000) / 10_000,
    }));
  }

  async listInterceptions(supplierMerchantId: string): Promise<InterceptionResponseDto[]> {
    const rows = await sqlRows<InterceptionRow>(this.em, `select * from interception_request where supplier_merchant_id = ? order by id desc limit 500`, [supplierMerchantId]);
    return rows.map(toInterception);
  }

  /**
   * Records the supplier's answer in the caller's transaction (after-sales then opens the return
   * case the answer leads to) and tells the distributor.
   */
  async answerInterceptionIn(
    em: EntityManager,
    supplierMerchantId: string,
    interceptionId: string,
    outcome: 'intercepted' | 'failed',
    note: string | null,
  ): Promise<{ interception: InterceptionResponseDto; channelOrderId: string; fulfillmentOrderId: string }> {
    const row = isId(interceptionId)
      ? await sqlOne<InterceptionRow>(em, `select * from interception_request where id = ? and supplier_merchant_id = ? for update`, [interceptionId, supplierMerchantId])
      : undefined;
    if (!row) throw new NotFoundError('interception request', interceptionId);
    if (row.status !== 'requested') {
      throw new ConflictError('interception_already_answered', `This interception was already answered: ${row.status}.`, [{ field: 'status', reason: `current status is ${row.status}` }]);
    }
    const updated = (await sqlOne<InterceptionRow & { channel_order_id: string }>(em, `update interception_request set status = ?, note = ?, answered_at = now() where id = ? returning *`, [outcome, note, row.id]))!;
    const distributor = await sqlOne<{ merchant_id: string }>(em, `select merchant_id::text from channel_order where id = ?`, [updated.channel_order_id]);
    await this.webhooks.publish(em, distributor ? [distributor.merchant_id] : [], 'interception.answered', String(row.id), `interception-answered:${row.id}`, () => ({
      interceptionRequestId: String(row.id),
      channelOrderId: String(updated.channel_order_id),
      outcome,
    }));
    return { interception: toInterception(updated), channelOrderId: String(updated.channel_order_id), fulfillmentOrderId: String(updated.fulfillment_order_id) };
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
