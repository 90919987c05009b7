import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  allocateProportionally,
  ConflictError,
  decodeIdCursor,
  DomainError,
  ForbiddenError,
  isId,
  MAX_AMOUNT,
  Money,
  money,
  NotFoundError,
  Page,
  scaleRounded,
  sqlExec,
  sqlOne,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { CancellationService, InterceptionResponseDto } from '@gongxiao/fulfillment';
import { InventoryService } from '@gongxiao/inventory';
import { WebhooksService } from '@gongxiao/webhooks';
import { RETURN_LIFECYCLE } from './return-request.lifecycle';
import {
  ListReturnsQueryDto,
  OpenedReturnsDto,
  OpenReturnDto,
  ReceiveReturnDto,
  RefundReturnDto,
  ReturnKind,
  ReturnOrigin,
  ReturnRatesDto,
  ReturnResponseDto,
  ReturnRole,
  ReturnShipmentDto,
  ReturnStatus,
} from './returns.dto';

/** Units of the no-reason window when an offer sets none (the distributor's own goods). */
const DEFAULT_WINDOW_DAYS = 7;

interface ReturnRow {
  id: string;
  channel_order_id: string;
  distributor_merchant_id: string;
  supplier_merchant_id: string;
  kind: ReturnKind;
  origin: ReturnOrigin;
  status: ReturnStatus;
  reason: string;
  photo_urls: string[];
  within_window: boolean;
  window_ends_at: Date | null;
  decision_reason: string | null;
  return_carrier_code: string | null;
  return_tracking_number: string | null;
  return_shipped_at: Date | null;
  received_at: Date | null;
  restocked: boolean | null;
  receipt_note: string | null;
  refunded_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A shipped fulfillment line of the order, with what is left to return of it. */
interface ShippedLine {
  id: string;
  fulfillment_order_id: string;
  channel_order_line_id: string;
  supplier_merchant_id: string;
  warehouse_id: string;
  sku_id: string;
  shipped_quantity: number;
  returned_quantity: number;
  return_window_days: number | null;
  window_starts_at: Date | null;
}

interface CaseLine {
  return_request_id: string;
  fulfillment_order_line_id: string;
  fulfillment_order_id: string;
  warehouse_id: string;
  sku_id: string;
  line_no: number;
  quantity: number;
}

interface HopRow {
  return_request_id: string;
  fulfillment_order_line_id: string;
  hop_index: number;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  unit_price_amount: string;
  currency: string;
  quantity: number;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * After-sales along the chain. The distributor opens a case for shipped units (one case per
 * supplier); inside the no-reason window it is approved at once, outside it waits for the
 * supplier. Every merchant of the chain sees the case and only its own hops' amounts. The
 * supplier confirms receipt (restocking or not) and refunds; each hop's refund is recorded for
 * settlement, never more than its buyer paid.
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
    private readonly webhooks: WebhooksService,
    private readonly cancellations: CancellationService,
  ) {}

  async open(actor: ActorContext, channelOrderId: string, input: OpenReturnDto): Promise<OpenedReturnsDto> {
    return this.em.transactional(async (em) => {
      const order = isId(channelOrderId)
        ? await sqlOne<{ id: string; merchant_id: string }>(em, `select id::text, merchant_id::text from channel_order where id = ? and merchant_id = ?`, [channelOrderId, actor.merchantId])
        : undefined;
      if (!order) throw new NotFoundError('channel order', channelOrderId);
      await this.lockOrder(em, order.id);
      const channelLines = await sqlRows<{ id: string; line_no: number }>(em, `select id::text, line_no from channel_order_line where channel_order_id = ? order by line_no`, [order.id]);
      const shipped = await this.lockShippedLines(em, order.id);

      const take = new Map<string, number>();
      const seen = new Set<number>();
      input.lines.forEach((requested, index) => {
        const channelLine = channelLines.find((line) => line.line_no === requested.lineNo);
        if (!channelLine) throw ValidationFailedError.field(`lines[${index}].lineNo`, `this order has no line ${requested.lineNo}`);
        if (seen.has(requested.lineNo)) throw ValidationFailedError.field(`lines[${index}].lineNo`, 'appears twice');
        seen.add(requested.lineNo);
        const candidates = shipped.filter((line) => line.channel_order_line_id === channelLine.id);
        const returnable = candidates.reduce((sum, line) => sum + line.shipped_quantity - line.returned_quantity, 0);
        if (requested.quantity > returnable) {
          const shippedUnits = candidates.reduce((sum, line) => sum + line.shipped_quantity, 0);
          throw new DomainError(
            'invalid',
            'return_exceeds_shipped',
            shippedUnits === 0
              ? `Line ${requested.lineNo} has not shipped: cancel it instead of opening a return.`
              : `Line ${requested.lineNo}: ${requested.quantity} unit(s) asked but ${returnable} can be returned (${shippedUnits} shipped, ${shippedUnits - returnable} already in return cases).`,
            [{ field: `lines[${index}].quantity`, reason: `at most ${returnable}` }],
          );
        }
        let left = requested.quantity;
        for (const line of candidates) {
          const part = Math.min(left, line.shipped_quantity - line.returned_quantity);
          if (part > 0) take.set(line.id, part);
          left -= part;
        }
      });

      await this.assertAmountsFit(em, take);
      const bySupplier = new Map<string, ShippedLine[]>();
      for (const line of shipped.filter((item) => take.has(item.id))) bySupplier.set(line.supplier_merchant_id, [...(bySupplier.get(line.supplier_merchant_id) ?? []), line]);
      const opened: string[] = [];
      for (const [supplierId, lines] of bySupplier) {
        const windowEndsAt = new Date(
          Math.min(...lines.map((line) => new Date(line.window_starts_at!).getTime() + (line.return_window_days ?? DEFAULT_WINDOW_DAYS) * 86_400_000)),
        );
        const within = Date.now() <= windowEndsAt.getTime();
        // The no-reason window is for goods that come back: keeping the goods always needs the supplier.
        const approved = within && input.kind === 'return_and_refund';
        opened.push(
          await this.insertCase(em, {
            channelOrderId: order.id,
            distributorId: actor.merchantId,
            supplierId,
            kind: input.kind,
            origin: 'consumer',
            status: approved ? 'approved' : 'pending_approval',
            reason: input.reason,
            photoUrls: input.photoUrls ?? [],
            within,
            windowEndsAt,
            interceptionRequestId: null,
            lines: lines.map((line) => ({ id: line.id, quantity: take.get(line.id)! })),
          }),
        );
      }
      const rows = await sqlRows<ReturnRow>(em, `select * from return_request where id = any(?::bigint[]) order by id`, [opened]);
      return { returns: await this.present(em, actor.merchantId, rows) };
    });
  }

  /**
   * The supplier answered an interception: an intercepted parcel is on its way back (a return the
   * supplier receives on arrival); a failed one reached the consumer, who returns it (approved, as
   * the consumer had cancelled) for the units it cancelled. Units already in a case are left out.
   */
  async answerInterception(
    actor: ActorContext,
    interceptionId: string,
    outcome: 'intercepted' | 'failed',
    note: string | null,
  ): Promise<InterceptionResponseDto & { returnId: string | null }> {
    return this.em.transactional(async (em) => {
      // Lock as cancellations do (fulfillment orders, the shop order, its lines), then the request.
      const request = isId(interceptionId)
        ? await sqlOne<{ channel_order_id: string }>(em, `select channel_order_id::text from interception_request where id = ? and supplier_merchant_id = ?`, [interceptionId, actor.merchantId])
        : undefined;
      if (!request) throw new NotFoundError('interception request', interceptionId);
      await this.lockOrder(em, request.channel_order_id);
      const shipped = await this.lockShippedLines(em, request.channel_order_id);
      const answered = await this.cancellations.answerInterceptionIn(em, actor.merchantId, interceptionId, outcome, note);
      // Intercepted: the whole parcel comes back. Failed: the consumer returns the units it cancelled.
      const asked = await sqlRows<{ fulfillment_order_line_id: string; quantity: number }>(
        em,
        `select fulfillment_order_line_id::text, quantity from interception_request_line where interception_request_id = ?`,
        [answered.interception.id],
      );
      const lines = shipped
        .filter((line) => line.fulfillment_order_id === answered.fulfillmentOrderId)
        .map((line) => {
          const open = line.shipped_quantity - line.returned_quantity;
          // A request without recorded units (made before they were recorded) covers the whole parcel.
          const wanted = outcome === 'intercepted' || asked.length === 0 ? open : (asked.find((item) => item.fulfillment_order_line_id === line.id)?.quantity ?? 0);
          return { id: line.id, quantity: Math.min(open, wanted) };
        })
        .filter((line) => line.quantity > 0);
      if (lines.length === 0) return { ...answered.interception, returnId: null };
      const order = (await sqlOne<{ merchant_id: string; cancel_reason: string | null }>(em, `select merchant_id::text, cancel_reason from channel_order where id = ?`, [answered.channelOrderId]))!;
      const returnId = await this.insertCase(em, {
        channelOrderId: answered.channelOrderId,
        distributorId: order.merchant_id,
        supplierId: actor.merchantId,
        kind: 'return_and_refund',
        origin: outcome === 'intercepted' ? 'interception' : 'failed_interception',
        status: 'approved',
        reason: order.cancel_reason ?? 'The consumer cancelled the order after it shipped.',
        photoUrls: [],
        within: true,
        windowEndsAt: null,
        interceptionRequestId: answered.interception.id,
        lines,
      });
      return { ...answered.interception, returnId };
    });
  }

  async list(actor: ActorContext, query: ListReturnsQueryDto): Promise<Page<ReturnResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<ReturnRow>(
      this.em,
      `select r.* from return_party p join return_request r on r.id = p.return_request_id
        where p.merchant_id = ?
          and (?::text is null or r.status = ?::text)
          and (?::bigint is null or (r.channel_order_id = ?::bigint and r.distributor_merchant_id = p.merchant_id))
          and (?::bigint is null or r.id < ?::bigint)
        order by r.id desc limit ?`,
      [actor.merchantId, query.status ?? null, query.status ?? null, query.channelOrderId ?? null, query.channelOrderId ?? null, before, before, limit + 1],
    );
    const normalized = rows.map((row) => ({ ...row, id: String(row.id) }));
    const presented = await this.present(this.em, actor.merchantId, normalized.slice(0, limit));
    return toPage(normalized, limit, (row) => presented.find((item) => item.id === row.id)!);
  }

  async get(actor: ActorContext, returnId: string): Promise<ReturnResponseDto> {
    const { row } = await this.findVisible(this.em, actor, returnId);
    return (await this.present(this.em, actor.merchantId, [row]))[0];
  }

  /** The supplier accepts a case opened outside the no-reason window. */
  async approve(actor: ActorContext, returnId: string, reason: string | undefined): Promise<ReturnResponseDto> {
    return this.move(actor, returnId, 'supplier', 'approve', async (em, row) => {
      RETURN_LIFECYCLE.assert(row.status, 'approved', 'approve');
      await sqlExec(em, `update return_request set status = 'approved', decision_reason = ?, decided_at = now(), updated_at = now() where id = ?`, [reason ?? null, row.id]);
    });
  }

  /** The supplier refuses a case opened outside the window; its units may be asked for again. */
  async reject(actor: ActorContext, returnId: string, reason: string | undefined): Promise<ReturnResponseDto> {
    if (!reason) throw ValidationFailedError.field('reason', 'is required to reject: tell the distributor why');
    return this.move(actor, returnId, 'supplier', 'reject', async (em, row) => {
      RETURN_LIFECYCLE.assert(row.status, 'rejected', 'reject');
      await sqlExec(em, `update return_request set status = 'rejected', decision_reason = ?, decided_at = now(), updated_at = now() where id = ?`, [reason, row.id]);
      await this.releaseUnits(em, row.id);
    });
  }

  /** The distributor takes a case back before anything came back or was refunded. */
  async withdraw(actor: ActorContext, returnId: string): Promise<ReturnResponseDto> {
    return this.move(actor, returnId, 'distributor', 'withdraw', async (em, row) => {
      if (row.origin === 'interception') throw new ConflictError('return_not_withdrawable', 'This parcel was intercepted: it comes back to the supplier whatever happens, so the case cannot be withdrawn.');
      RETURN_LIFECYCLE.assert(row.status, 'withdrawn', 'withdraw');
      await sqlExec(em, `update return_request set status = 'withdrawn', updated_at = now() where id = ?`, [row.id]);
      await this.releaseUnits(em, row.id);
    });
  }

  /** The distributor records the consumer's return parcel. The same tracking again changes nothing. */
  async recordReturnShipment(actor: ActorContext, returnId: string, input: ReturnShipmentDto): Promise<ReturnResponseDto> {
    return this.move(actor, returnId, 'distributor', 'record a return parcel for', async (em, row) => {
      if (row.kind !== 'return_and_refund') throw new ConflictError('return_is_refund_only', 'This case is refund only: the consumer keeps the goods, there is no return parcel.');
      if (row.status === 'return_shipped' && row.return_carrier_code === input.carrierCode && row.return_tracking_number === input.trackingNumber) return false;
      RETURN_LIFECYCLE.assert(row.status, 'return_shipped', 'record a return parcel for');
      await sqlExec(em, `update return_request set status = 'return_shipped', return_carrier_code = ?, return_tracking_number = ?, return_shipped_at = now(), updated_at = now() where id = ?`, [
        input.carrierCode,
        input.trackingNumber,
        row.id,
      ]);
    });
  }

  /** The supplier has the goods back; restocking puts them on hand again with a stock movement. */
  async receive(actor: ActorContext, returnId: string, input: ReceiveReturnDto): Promise<ReturnResponseDto> {
    return this.move(actor, returnId, 'supplier', 'confirm receipt of', async (em, row) => {
      if (row.kind !== 'return_and_refund') throw new ConflictError('return_is_refund_only', 'This case is refund only: no goods come back to receive.');
      RETURN_LIFECYCLE.assert(row.status, 'received', 'confirm receipt of');
      await sqlExec(em, `update return_request set status = 'received', received_at = now(), restocked = ?, receipt_note = ?, updated_at = now() where id = ?`, [
        input.restock,
        input.note ?? null,
        row.id,
      ]);
      if (input.restock) {
        const lines = await this.caseLines(em, [row.id]);
        await this.inventory.restockReturned(
          em,
          row.supplier_merchant_id,
          lines.map((line) => ({ warehouseId: String(line.warehouse_id), skuId: String(line.sku_id), quantity: line.quantity })),
          `return:${row.id}`,
        );
      }
    });
  }

  /**
   * The supplier refunds (all its buyer paid for these units, or `amount` of it); every hop below
   * refunds its own buyer in the same proportion. One refund per case, recorded per line and hop.
   */
  async refund(actor: ActorContext, returnId: string, input: RefundReturnDto): Promise<ReturnResponseDto> {
    return this.move(actor, returnId, 'supplier', 'refund', async (em, row) => {
      if (row.status === 'refunded') RETURN_LIFECYCLE.assert(row.status, 'refunded', 'refund');
      if (row.kind === 'return_and_refund' && row.status !== 'received') {
        throw new ConflictError('return_not_received', `Confirm receipt of the returned goods before refunding: this return is ${row.status}.`, [
          { field: 'status', reason: `current status is ${row.status}` },
        ]);
      }
      RETURN_LIFECYCLE.assert(row.status, 'refunded', 'refund');
      const hops = await this.hopsOf(em, [row.id]);
      const rows = this.refundsPerHop(row, hops, input);
      if (rows.length > 0) {
        await sqlExec(
          em,
          `insert into return_refund (return_request_id, fulfillment_order_line_id, hop_index, seller_merchant_id, buyer_merchant_id, amount, currency)
           select ?, * from unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])`,
          [
            row.id,
            rows.map((item) => item.lineId),
            rows.map((item) => item.hopIndex),
            rows.map((item) => item.seller),
            rows.map((item) => item.buyer),
            rows.map((item) => item.amount.toString()),
            rows.map((item) => item.currency),
          ],
        );
      }
      await sqlExec(em, `update return_request set status = 'refunded', refunded_at = now(), updated_at = now() where id = ?`, [row.id]);
    });
  }

  /** Return figures of the supplier's own SKUs, for the quality rules to come. */
  async returnRates(supplierMerchantId: string): Promise<ReturnRatesDto> {
    // Consumers' returns the supplier accepted (or that needed no approval); cancellations that
    // became returns are counted as cancellations, undecided cases not at all.
    const rows = await sqlRows<{ sku_id: string; code: string; shipped: number; returned: number; refund_only: number }>(
      this.em,
      `select l.sku_id::text, s.code, sum(l.shipped_quantity)::int as shipped,
              coalesce(sum(rr.returned), 0)::int as returned, coalesce(sum(rr.refund_only), 0)::int as refund_only
         from fulfillment_order_line l
         join fulfillment_order o on o.id = l.fulfillment_order_id
         join sku s on s.id = l.sku_id
         left join (select rl.fulfillment_order_line_id, sum(rl.quantity) as returned,
                           sum(rl.quantity) filter (where r.kind = 'refund_only') as refund_only
                      from return_request_line rl join return_request r on r.id = rl.return_request_id
                     where r.supplier_merchant_id = ? and r.origin = 'consumer' and r.status in ('approved', 'return_shipped', 'received', 'refunded')
                     group by rl.fulfillment_order_line_id) rr on rr.fulfillment_order_line_id = l.id
        where o.supplier_merchant_id = ? and l.shipped_quantity > 0
        group by l.sku_id, s.code order by s.code`,
      [supplierMerchantId, supplierMerchantId],
    );
    const rate = (returned: number, shipped: number) => (shipped === 0 ? 0 : Math.round((returned / shipped) * 10_000) / 10_000);
    const shipped = rows.reduce((sum, row) => sum + row.shipped, 0);
    const returned = rows.reduce((sum, row) => sum + row.returned, 0);
    return {
      total: { unitsShipped: shipped, unitsReturned: returned, returnRate: rate(returned, shipped) },
      skus: rows.map((row) => ({
        skuId: row.sku_id,
        skuCode: row.code,
        unitsShipped: row.shipped,
        unitsReturned: row.returned,
        unitsRefundOnly: row.refund_only,
        returnRate: rate(row.returned, row.shipped),
      })),
    };
  }

  /**
   * Runs one move of a case as `role` (others of the chain get a 403 naming who may; merchants
   * outside it a 404), then tells every party. `apply` returns false when nothing changed.
   */
  private async move(
    actor: ActorContext,
    returnId: string,
    role: 'supplier' | 'distributor',
    action: string,
    apply: (em: EntityManager, row: ReturnRow) => Promise<void | false>,
  ): Promise<ReturnResponseDto> {
    return this.em.transactional(async (em) => {
      const { row } = await this.findVisible(em, actor, returnId, true);
      const allowed = role === 'supplier' ? row.supplier_merchant_id : row.distributor_merchant_id;
      if (String(allowed) !== actor.merchantId) {
        throw new ForbiddenError(`Only the ${role} of this return may ${action} it.`);
      }
      const changed = await apply(em, row);
      const updated = (await sqlOne<ReturnRow>(em, `select * from return_request where id = ?`, [row.id]))!;
      if (changed !== false) await this.announce(em, updated);
      return (await this.present(em, actor.merchantId, [updated]))[0];
    });
  }

  /**
   * Locks the order's fulfillment orders (in id order), then the shop order: the order cancellations
   * and shipments lock them in, so after-sales never deadlocks with them.
   */
  private async lockOrder(em: EntityManager, channelOrderId: string): Promise<void> {
    await sqlExec(
      em,
      `select id from fulfillment_order where id in (select fulfillment_order_id from fulfillment_order_line where channel_order_id = ?) order by id for update`,
      [channelOrderId],
    );
    await sqlExec(em, `select id from channel_order where id = ? for update`, [channelOrderId]);
  }

  /** Every amount of a case must stay an exact JSON number (price × units at any hop). */
  private async assertAmountsFit(em: EntityManager, take: Map<string, number>): Promise<void> {
    const largest = await sqlOne<{ amount: string | null }>(
      em,
      `select max(h.unit_price_amount::numeric * r.quantity)::text as amount
         from unnest(?::bigint[], ?::int[]) as r(line_id, quantity) join fulfillment_line_hop h on h.fulfillment_order_line_id = r.line_id`,
      [[...take.keys()], [...take.values()]],
    );
    if (largest?.amount && Number(largest.amount) > MAX_AMOUNT) {
      throw new DomainError('invalid', 'return_amount_too_large', `These units are worth more than ${MAX_AMOUNT} minor units at one hop: open smaller returns.`, [
        { field: 'lines', reason: 'too much value in one case' },
      ]);
    }
  }

  /** The order's shipped fulfillment lines, locked, with when each one's return window starts. */
  private async lockShippedLines(em: EntityManager, channelOrderId: string): Promise<ShippedLine[]> {
    const rows = await sqlRows<ShippedLine>(
      em,
      `select l.id::text, l.fulfillment_order_id::text, l.channel_order_line_id::text, o.supplier_merchant_id::text, o.warehouse_id::text, l.sku_id::text,
              l.shipped_quantity, l.returned_quantity, l.return_window_days,
              (select max(coalesce(s.delivered_at, s.created_at)) from shipment_line sl join shipment s on s.id = sl.shipment_id where sl.fulfillment_order_line_id = l.id) as window_starts_at
         from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id
        where l.channel_order_id = ? and l.shipped_quantity > 0
        order by l.id for update of l`,
      [channelOrderId],
    );
    return rows;
  }

  private async insertCase(
    em: EntityManager,
    input: {
      channelOrderId: string;
      distributorId: string;
      supplierId: string;
      kind: ReturnKind;
      origin: ReturnOrigin;
      status: ReturnStatus;
      reason: string;
      photoUrls: string[];
      within: boolean;
      windowEndsAt: Date | null;
      interceptionRequestId: string | null;
      lines: { id: string; quantity: number }[];
    },
  ): Promise<string> {
    const created = (await sqlOne<{ id: string }>(
      em,
      `insert into return_request (channel_order_id, distributor_merchant_id, supplier_merchant_id, kind, origin, status, reason, photo_urls, within_window, window_ends_at, interception_request_id)
       values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?) returning id::text`,
      [
        input.channelOrderId,
        input.distributorId,
        input.supplierId,
        input.kind,
        input.origin,
        input.status,
        input.reason,
        input.photoUrls,
        input.within,
        input.windowEndsAt?.toISOString() ?? null,
        input.interceptionRequestId,
      ],
    ))!;
    const ids = input.lines.map((line) => line.id);
    const quantities = input.lines.map((line) => line.quantity);
    await sqlExec(em, `insert into return_request_line (return_request_id, fulfillment_order_line_id, quantity) select ?, * from unnest(?::bigint[], ?::int[])`, [created.id, ids, quantities]);
    await sqlExec(em, `update fulfillment_order_line l set returned_quantity = l.returned_quantity + r.quantity from unnest(?::bigint[], ?::int[]) as r(id, quantity) where l.id = r.id`, [ids, quantities]);
    // Everyone on the chain of these lines takes part: the distributor, each broker, the supplier.
    await sqlExec(
      em,
      `insert into return_party (return_request_id, merchant_id, role)
       select ?, merchant_id, role from (
         select ?::bigint as merchant_id, 'distributor' as role, 0 as rank
         union all select ?::bigint, 'supplier', 1
         union all select distinct h.seller_merchant_id, 'broker', 2 from fulfillment_line_hop h
          where h.fulfillment_order_line_id = any(?::bigint[]) and h.seller_merchant_id not in (?::bigint, ?::bigint)
       ) parties order by rank
       on conflict do nothing`,
      [created.id, input.distributorId, input.supplierId, ids, input.distributorId, input.supplierId],
    );
    const row = (await sqlOne<ReturnRow>(em, `select * from return_request where id = ?`, [created.id]))!;
    await this.announce(em, row);
    return created.id;
  }

  /** Units of a case that ends without coming back may be asked for again. */
  private async releaseUnits(em: EntityManager, returnId: string): Promise<void> {
    await sqlExec(
      em,
      `update fulfillment_order_line l set returned_quantity = l.returned_quantity - rl.quantity
         from return_request_line rl where rl.return_request_id = ? and rl.fulfillment_order_line_id = l.id`,
      [returnId],
    );
  }

  /** `return.updated` to the subscriptions of every party, once per status. */
  private async announce(em: EntityManager, row: ReturnRow): Promise<void> {
    const parties = await sqlRows<{ merchant_id: string }>(em, `select merchant_id::text from return_party where return_request_id = ?`, [row.id]);
    await this.webhooks.publish(
      em,
      parties.map((party) => party.merchant_id),
      'return.updated',
      String(row.id),
      `return:${row.id}:${row.status}`,
      (merchantId) => ({
        returnId: String(row.id),
        status: row.status,
        kind: row.kind,
        origin: row.origin,
        ...(merchantId === String(row.distributor_merchant_id) ? { channelOrderId: String(row.channel_order_id) } : {}),
      }),
    );
  }

  private async findVisible(em: EntityManager, actor: ActorContext, returnId: string, lock = false): Promise<{ row: ReturnRow; role: ReturnRole }> {
    const found = isId(returnId)
      ? await sqlOne<ReturnRow & { party_role: ReturnRole }>(
          em,
          `select r.*, p.role as party_role from return_request r join return_party p on p.return_request_id = r.id and p.merchant_id = ?
            where r.id = ?${lock ? ' for update of r' : ''}`,
          [actor.merchantId, returnId],
        )
      : undefined;
    if (!found) throw new NotFoundError('return', returnId);
    const { party_role: role, ...row } = found;
    return { row: { ...row, id: String(row.id) }, role };
  }

  private async caseLines(em: EntityManager, returnIds: string[]): Promise<CaseLine[]> {
    return sqlRows<CaseLine>(
      em,
      `select rl.return_request_id::text, rl.fulfillment_order_line_id::text, l.fulfillment_order_id::text, o.warehouse_id::text, l.sku_id::text, cl.line_no, rl.quantity
         from return_request_line rl
         join fulfillment_order_line l on l.id = rl.fulfillment_order_line_id
         join fulfillment_order o on o.id = l.fulfillment_order_id
         join channel_order_line cl on cl.id = l.channel_order_line_id
        where rl.return_request_id = any(?::bigint[])
        order by cl.line_no, l.id`,
      [returnIds],
    );
  }

  private async hopsOf(em: EntityManager, returnIds: string[], merchantId?: string): Promise<HopRow[]> {
    return sqlRows<HopRow>(
      em,
      `select rl.return_request_id::text, rl.fulfillment_order_line_id::text, h.hop_index, h.seller_merchant_id::text, h.buyer_merchant_id::text,
              h.unit_price_amount::text, h.currency, rl.quantity
         from return_request_line rl join fulfillment_line_hop h on h.fulfillment_order_line_id = rl.fulfillment_order_line_id
        where rl.return_request_id = any(?::bigint[]) and (?::bigint is null or ?::bigint in (h.seller_merchant_id, h.buyer_merchant_id))
        order by rl.fulfillment_order_line_id, h.hop_index`,
      [returnIds, merchantId ?? null, merchantId ?? null],
    );
  }

  /**
   * Refund per line and hop. The supplier's hops (the top of each line's chain) share `amount`
   * in proportion to what was paid for each line; every lower hop refunds the same fraction of
   * what its own buyer paid, rounded to the minor unit, so no hop refunds more than it was paid.
   */
  private refundsPerHop(
    row: ReturnRow,
    hops: HopRow[],
    input: RefundReturnDto,
  ): { lineId: string; hopIndex: number; seller: string; buyer: string; amount: bigint; currency: string }[] {
    if (hops.length === 0) {
      // The distributor's own goods: no merchant pays another for them.
      if (input.amount && input.amount.amount > 0) throw ValidationFailedError.field('amount.amount', 'must be 0: these are your own goods, nobody paid you for them');
      return [];
    }
    const lineIds = [...new Set(hops.map((hop) => hop.fulfillment_order_line_id))];
    const paid = (hop: HopRow) => BigInt(hop.unit_price_amount) * BigInt(hop.quantity);
    const tops = lineIds.map((lineId) => {
      const own = hops.filter((hop) => hop.fulfillment_order_line_id === lineId);
      return own[own.length - 1];
    });
    if (tops.some((top) => top.seller_merchant_id !== String(row.supplier_merchant_id))) throw new Error(`Return ${row.id}: a line's chain does not end at its supplier`);
    const currency = tops[0].currency;
    const paidToSupplier = tops.reduce((sum, top) => sum + paid(top), 0n);
    let parts: bigint[];
    if (input.amount === undefined) {
      parts = tops.map(paid);
    } else {
      if (input.amount.currency !== currency || tops.some((top) => top.currency !== currency)) {
        throw ValidationFailedError.field('amount.currency', `must be ${currency}, the currency your buyer paid in`);
      }
      if (BigInt(input.amount.amount) > paidToSupplier) {
        throw new DomainError('invalid', 'refund_exceeds_paid', `A refund of ${input.amount.amount} is more than your buyer paid you for these units (${paidToSupplier}).`, [
          { field: 'amount.amount', reason: `at most ${paidToSupplier}` },
        ]);
      }
      parts = allocateProportionally(BigInt(input.amount.amount), tops.map(paid));
    }
    // The fraction of a line refunded: its supplier's part over what was paid for it; for goods the
    // supplier gave away (paid 0) the fraction of the whole refund, or everything when in full.
    const fraction = (index: number): [bigint, bigint] => {
      const topPaid = paid(tops[index]);
      if (topPaid > 0n) return [parts[index], topPaid];
      if (input.amount === undefined || paidToSupplier === 0n) return [1n, 1n];
      return [BigInt(input.amount.amount), paidToSupplier];
    };
    return lineIds.flatMap((lineId, index) =>
      hops
        .filter((hop) => hop.fulfillment_order_line_id === lineId)
        .map((hop) => {
          const [numerator, denominator] = fraction(index);
          const scaled = hop === tops[index] ? parts[index] : scaleRounded(paid(hop), numerator, denominator);
          const amount = scaled > paid(hop) ? paid(hop) : scaled;
          return { lineId, hopIndex: hop.hop_index, seller: hop.seller_merchant_id, buyer: hop.buyer_merchant_id, amount, currency: hop.currency };
        }),
    );
  }

  /** Each merchant's view of cases: its own hops' amounts only; order ids for the distributor, fulfillment ids for the supplier. */
  private async present(em: EntityManager, viewerId: string, rows: ReturnRow[]): Promise<ReturnResponseDto[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => String(row.id));
    const lines = await this.caseLines(em, ids);
    const hops = await this.hopsOf(em, ids, viewerId);
    const refunds = await sqlRows<{ return_request_id: string; seller_merchant_id: string; buyer_merchant_id: string; amount: string; currency: string }>(
      em,
      `select return_request_id::text, seller_merchant_id::text, buyer_merchant_id::text, amount::text, currency from return_refund
        where return_request_id = any(?::bigint[]) and ?::bigint in (seller_merchant_id, buyer_merchant_id)`,
      [ids, viewerId],
    );
    const roles = await sqlRows<{ return_request_id: string; role: ReturnRole }>(
      em,
      `select return_request_id::text, role from return_party where return_request_id = any(?::bigint[]) and merchant_id = ?`,
      [ids, viewerId],
    );
    const skus = await this.catalog.skusById([...new Set(lines.map((line) => line.sku_id))]);
    const total = (items: { amount: bigint; currency: string }[]): Money | null =>
      items.length === 0 ? null : money(items.reduce((sum, item) => sum + item.amount, 0n), items[0].currency);
    return rows.map((row) => {
      const id = String(row.id);
      const role = roles.find((item) => item.return_request_id === id)?.role ?? 'broker';
      const isDistributor = viewerId === String(row.distributor_merchant_id);
      const isSupplier = viewerId === String(row.supplier_merchant_id);
      // Brokers follow the case and their money, not the consumer's parcel, photos or the receipt note.
      const seesParcel = isDistributor || isSupplier;
      const ownHops = hops.filter((hop) => hop.return_request_id === id);
      const ownRefunds = refunds.filter((refund) => refund.return_request_id === id);
      const paid = (hop: HopRow) => ({ amount: BigInt(hop.unit_price_amount) * BigInt(hop.quantity), currency: hop.currency });
      const refunded = (refund: (typeof refunds)[number]) => ({ amount: BigInt(refund.amount), currency: refund.currency });
      return {
        id,
        yourRole: role,
        kind: row.kind,
        origin: row.origin,
        status: row.status,
        ...(isDistributor ? { channelOrderId: String(row.channel_order_id) } : {}),
        reason: row.reason,
        photoUrls: seesParcel ? row.photo_urls : [],
        withinWindow: row.within_window,
        windowEndsAt: iso(row.window_ends_at),
        decisionReason: row.decision_reason,
        returnShipment:
          seesParcel && row.return_carrier_code && row.return_tracking_number
            ? { carrierCode: row.return_carrier_code, trackingNumber: row.return_tracking_number, shippedAt: iso(row.return_shipped_at)! }
            : null,
        receipt: row.received_at ? { receivedAt: iso(row.received_at)!, restocked: Boolean(row.restocked), note: seesParcel ? row.receipt_note : null } : null,
        lines: lines
          .filter((line) => line.return_request_id === id)
          .map((line) => ({
            skuId: line.sku_id,
            skuCode: skus.get(line.sku_id)?.code ?? '',
            skuName: skus.get(line.sku_id)?.name ?? '',
            quantity: line.quantity,
            ...(isDistributor ? { lineNo: line.line_no } : {}),
            ...(isSupplier ? { fulfillmentOrderId: line.fulfillment_order_id, fulfillmentOrderLineId: line.fulfillment_order_line_id } : {}),
          })),
        money: {
          paidToSeller: total(ownHops.filter((hop) => hop.buyer_merchant_id === viewerId).map(paid)),
          paidByBuyer: total(ownHops.filter((hop) => hop.seller_merchant_id === viewerId).map(paid)),
          refundedToYou: total(ownRefunds.filter((refund) => refund.buyer_merchant_id === viewerId).map(refunded)),
          refundedByYou: total(ownRefunds.filter((refund) => refund.seller_merchant_id === viewerId).map(refunded)),
        },
        createdAt: iso(row.created_at)!,
        updatedAt: iso(row.updated_at)!,
        refundedAt: iso(row.refunded_at),
      };
    });
  }
}
