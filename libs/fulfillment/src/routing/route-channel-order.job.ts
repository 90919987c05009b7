import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlExec, sqlOne } from '@gongxiao/core';
import { availableAlongChain, AvailabilityService, CapIndex, capLookup } from '@gongxiao/availability';
import { CatalogService, WarehouseFacts } from '@gongxiao/catalog';
import { ChannelsService } from '@gongxiao/channels';
import { AvailabilityRow, InventoryService, StockItem } from '@gongxiao/inventory';
import { ChainHop, OffersService } from '@gongxiao/offers';
import { ChannelOrderLineRow, ChannelOrderRow, OrdersService } from '@gongxiao/orders';
import { RoutingAllocation, RoutingStrategy, RoutingWarehouse } from './routing-strategy';

/** One order line resolved down the chain to its origin supplier and SKU. */
interface ResolvedLine {
  line: ChannelOrderLineRow;
  listingId: string;
  supplierMerchantId: string;
  skuId: string;
  /** Hop 0 is the distributor's purchase; the last hop is the origin supplier's sale. Empty for own goods. */
  hops: ChainHop[];
}

type RouteOutcome = { ok: true } | { ok: false; code: string; reason: string };

const RESERVATION_ATTEMPTS = 3;

export function consigneeKey(order: Pick<ChannelOrderRow, 'consignee_name' | 'consignee_phone' | 'province' | 'city' | 'district' | 'address'>): string {
  const normalized = [order.consignee_name, order.consignee_phone.replace(/\D/g, ''), order.province, order.city, order.district, order.address]
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ''))
    .join('|');
  return createHash('sha256').update(normalized).digest('hex');
}

/**
 * Splits an order by origin supplier and routes each part to warehouses, all or nothing: every
 * line resolves and is reserved, or the order is held as an exception with a reason a person can
 * act on and nothing is reserved. Runs in one transaction with the order row locked, so a repeated
 * job finds the order routed and does nothing.
 */
@Injectable()
export class RouteChannelOrderJob implements OutboxJobHandler<'channel_order.received'> {
  readonly eventType = 'channel_order.received' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly orders: OrdersService,
    private readonly channels: ChannelsService,
    private readonly offers: OffersService,
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
    private readonly outbox: OutboxService,
    private readonly strategy: RoutingStrategy,
    private readonly availability: AvailabilityService,
  ) {}

  async handle(job: OutboxJobData<'channel_order.received'>): Promise<void> {
    await this.em.transactional(async (em) => {
      await this.outbox.markProcessed(em, job.eventId);
      const claimed = await this.orders.claimForRouting(em, job.payload.channelOrderId);
      if (claimed) {
        const outcome = await this.route(em, claimed.order, claimed.lines);
        if (!outcome.ok) await this.orders.markException(em, claimed.order.id, outcome.code, outcome.reason);
      }
    });
  }

  private async route(em: EntityManager, order: ChannelOrderRow, lines: ChannelOrderLineRow[]): Promise<RouteOutcome> {
    const resolved = await this.resolve(em, order, lines);
    if (!resolved.ok) return resolved;
    const bySupplier = new Map<string, ResolvedLine[]>();
    for (const line of resolved.lines) bySupplier.set(line.supplierMerchantId, [...(bySupplier.get(line.supplierMerchantId) ?? []), line]);

    const warehouses = await this.catalog.activeWarehousesOf([...bySupplier.keys()]);
    for (const supplierId of bySupplier.keys()) {
      if (!warehouses.some((warehouse) => warehouse.merchantId === supplierId)) {
        const own = supplierId === order.merchant_id;
        return {
          ok: false,
          code: 'no_warehouse',
          reason: own ? 'You have no active warehouse to ship your own goods from. Add one, then retry the order.' : 'The supplier of some lines has no active warehouse to ship from. Ask your supplier, then retry the order.',
        };
      }
    }
    const skuIds = [...new Set(resolved.lines.map((line) => line.skuId))];
    const chainPairs = resolved.lines.flatMap((line) => line.hops.map((hop) => ({ upstreamMerchantId: hop.sellerMerchantId, downstreamMerchantId: hop.buyerMerchantId })));
    const caps = await this.availability.capsFor(em, chainPairs);

    for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
      const availability = await this.inventory.availability(em, skuIds);
      const plans: { supplierId: string; allocations: RoutingAllocation[] }[] = [];
      for (const [supplierId, supplierLines] of bySupplier) {
        const candidates: RoutingWarehouse[] = warehouses
          .filter((warehouse) => warehouse.merchantId === supplierId)
          .map((warehouse) => ({
            id: warehouse.id,
            province: warehouse.province,
            priority: warehouse.priority,
            available: new Map(availability.filter((row) => row.warehouseId === warehouse.id).map((row) => [row.skuId, row.available])),
          }));
        const plan = this.strategy.plan({
          consigneeProvince: order.province,
          items: supplierLines.map((line) => ({ lineId: line.line.id, skuId: line.skuId, quantity: line.line.quantity })),
          warehouses: candidates,
        });
        if (!plan.ok) {
          const short = supplierLines.find((line) => line.skuId === plan.shortSkuId)!;
          const sku = (await this.catalog.skusById([plan.shortSkuId])).get(plan.shortSkuId);
          // The supplier's own figure is shown only to the supplier itself (own goods), never downstream.
          const figure = short.hops.length === 0 ? `, ${plan.available} available in your warehouses` : '; your supply chain does not have that many now';
          return {
            ok: false,
            code: 'stock_insufficient',
            reason: `Line ${short.line.line_no} (${short.line.shop_sku_code}): needs ${plan.needed} unit(s) of SKU ${sku?.code ?? plan.shortSkuId}${figure}. Retry the order when the supplier has restocked.`,
          };
        }
        plans.push({ supplierId, allocations: plan.allocations });
      }

      if (caps.size > 0) {
        const overCap = this.findCapExceeded(resolved.lines, caps, availability, warehouses);
        if (overCap) return overCap;
      }

      // Write everything first and reserve last: the hot stock rows stay locked only from the
      // reservation to the commit. A failed reservation undoes this attempt and plans again.
      await sqlExec(em, 'savepoint route_attempt');
      await this.createFulfillmentOrders(em, order, resolved.lines, plans, warehouses);
      await this.orders.markRouted(em, order.id, new Map(resolved.lines.map((line) => [line.line.id, line.listingId])));
      // Every supplier's rows in one reservation, locked in one (warehouse, SKU) order: orders that
      // share suppliers in any order cannot deadlock.
      const items: StockItem[] = plans.flatMap((plan) => plan.allocations.map((allocation) => ({ warehouseId: allocation.warehouseId, skuId: allocation.skuId, quantity: allocation.quantity })));
      const reserved = (await this.inventory.reserve(em, items, `channel_order:${order.id}`)).length === 0;
      if (!reserved) {
        // Someone took the stock between reading and reserving.
        await sqlExec(em, 'rollback to savepoint route_attempt');
        continue;
      }
      await sqlExec(em, 'release savepoint route_attempt');
      return { ok: true };
    }
    return { ok: false, code: 'stock_insufficient', reason: 'Stock ran out while this order was being routed (other orders took it first). Retry the order when the supplier has restocked.' };
  }

  /**
   * Allocation caps along a chain limit what a listing may sell (the same figure its shop sees):
   * an order above it is held, naming the limit.
   */
  private findCapExceeded(lines: ResolvedLine[], caps: CapIndex, availability: AvailabilityRow[], warehouses: WarehouseFacts[]): RouteOutcome | null {
    const byListing = new Map<string, ResolvedLine[]>();
    for (const line of lines.filter((item) => item.hops.length > 0)) byListing.set(line.listingId, [...(byListing.get(line.listingId) ?? []), line]);
    for (const listingLines of byListing.values()) {
      const first = listingLines[0];
      const supplierWarehouses = new Set(warehouses.filter((warehouse) => warehouse.merchantId === first.supplierMerchantId).map((warehouse) => warehouse.id));
      const origin = availability.filter((row) => row.skuId === first.skuId && supplierWarehouses.has(row.warehouseId)).reduce((sum, row) => sum + row.available, 0);
      const limit = availableAlongChain(
        origin,
        first.hops.map((hop) => ({ sellerMerchantId: hop.sellerMerchantId, buyerMerchantId: hop.buyerMerchantId, open: true })),
        capLookup(caps, first.skuId),
      );
      const wanted = listingLines.reduce((sum, line) => sum + line.line.quantity, 0);
      if (wanted > limit) {
        return {
          ok: false,
          code: 'allocation_exceeded',
          reason: `Line ${first.line.line_no} (${first.line.shop_sku_code}): ${wanted} unit(s) ordered but your supply chain allows ${limit} now (a partner's allocation cap). Retry when more is allocated to you.`,
        };
      }
    }
    return null;
  }

  /** Shop SKU code → listing → offer chain → origin supplier and SKU, checking every hop. */
  private async resolve(em: EntityManager, order: ChannelOrderRow, lines: ChannelOrderLineRow[]): Promise<{ ok: true; lines: ResolvedLine[] } | { ok: false; code: string; reason: string }> {
    const listings = await this.channels.resolveListings(em, order.shop_id, lines.map((line) => line.shop_sku_code));
    for (const line of lines) {
      const listing = listings.get(line.shop_sku_code);
      const label = `Line ${line.line_no} (${line.shop_sku_code})`;
      if (!listing) {
        return { ok: false, code: 'unknown_shop_sku', reason: `${label}: this shop has no listing for SKU code "${line.shop_sku_code}". Create the listing (POST /v1/listings), then retry the order.` };
      }
      if (listing.status !== 'active') return { ok: false, code: 'listing_paused', reason: `${label}: the listing is paused. Activate it, then retry the order.` };
      if (listing.currency !== order.currency) {
        return { ok: false, code: 'currency_mismatch', reason: `${label}: the listing is priced in ${listing.currency} but the order is in ${order.currency}.` };
      }
    }
    const offerLines = lines.filter((line) => listings.get(line.shop_sku_code)!.offerId !== null);
    const chains = await this.offers.chainsOf(
      em,
      offerLines.map((line) => ({ offerId: listings.get(line.shop_sku_code)!.offerId!, buyerMerchantId: order.merchant_id })),
    );
    const distinctChains = [...chains.values()];
    const problems = await this.offers.checkChains(distinctChains);
    const problemOf = new Map(distinctChains.map((hops, index) => [hops[0].offerId, problems[index]]));

    const resolved: ResolvedLine[] = [];
    for (const line of lines) {
      const listing = listings.get(line.shop_sku_code)!;
      if (listing.offerId === null) {
        resolved.push({ line, listingId: listing.listingId, supplierMerchantId: order.merchant_id, skuId: listing.skuId!, hops: [] });
        continue;
      }
      const hops = chains.get(listing.offerId);
      const problem = hops ? problemOf.get(listing.offerId) : { code: 'offer_withdrawn', message: `offer ${listing.offerId} no longer exists` };
      if (!hops || problem) {
        return { ok: false, code: problem!.code, reason: `Line ${line.line_no} (${line.shop_sku_code}): ${problem!.message}. Fix the listing or the partnership, then retry the order.` };
      }
      const origin = hops[hops.length - 1];
      resolved.push({ line, listingId: listing.listingId, supplierMerchantId: origin.originMerchantId, skuId: origin.originSkuId, hops });
    }
    return { ok: true, lines: resolved };
  }

  /** One fulfillment order per warehouse, with every hop's price frozen now. */
  private async createFulfillmentOrders(
    em: EntityManager,
    order: ChannelOrderRow,
    lines: ResolvedLine[],
    plans: { supplierId: string; allocations: RoutingAllocation[] }[],
    candidates: WarehouseFacts[],
  ): Promise<void> {
    const lineById = new Map(lines.map((line) => [line.line.id, line]));
    const key = consigneeKey(order);
    const warehouses = new Map(candidates.map((warehouse) => [warehouse.id, warehouse]));

    // Two orders for the same consignee routed at once must not both open a merge window: lock each
    // merging warehouse × consignee first, in warehouse order, so such orders cannot deadlock.
    const mergingWarehouses = [...new Set(plans.flatMap((plan) => plan.allocations.map((allocation) => allocation.warehouseId)))]
      .filter((warehouseId) => (warehouses.get(warehouseId)?.mergeWindowMinutes ?? 0) > 0)
      .sort((a, b) => Number(BigInt(a) - BigInt(b)));
    for (const warehouseId of mergingWarehouses) await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended(? || ':' || ?, 0))`, [warehouseId, key]);

    for (const plan of plans) {
      const byWarehouse = new Map<string, RoutingAllocation[]>();
      for (const allocation of plan.allocations) byWarehouse.set(allocation.warehouseId, [...(byWarehouse.get(allocation.warehouseId) ?? []), allocation]);

      for (const [warehouseId, allocations] of byWarehouse) {
        const warehouse = warehouses.get(warehouseId)!;
        let fulfillmentOrderId: string | undefined;
        if (warehouse.mergeWindowMinutes > 0) {
          const open = await sqlOne<{ id: string }>(
            em,
            `select id from fulfillment_order where warehouse_id = ? and consignee_key = ? and status = 'pending_merge' and release_at > now() order by id limit 1 for update`,
            [warehouseId, key],
          );
          fulfillmentOrderId = open ? String(open.id) : undefined;
        }
        const merging = warehouse.mergeWindowMinutes > 0;
        const hops = allocations.flatMap((allocation) => lineById.get(allocation.lineId)!.hops.map((hop, index) => ({ lineId: allocation.lineId, index, hop })));
        // One statement per warehouse: the fulfillment order (unless an open merge window takes the
        // lines), its lines with the supplier's price, every hop's price, and the outbox event.
        const created = await sqlOne<{ id: string }>(
          em,
          `with fo as (
             ${
               fulfillmentOrderId
                 ? 'select ?::bigint as id, null::timestamptz as release_at, false as created'
                 : `insert into fulfillment_order (supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address,
                      consignee_key, remarks, release_at, released_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${merging ? 'now() + make_interval(mins => ?)' : 'null'}, ${merging ? 'null' : 'now()'})
                    returning id, release_at, true as created`
             }
           ), lines as (
             insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, supply_price_amount, currency, return_window_days)
             select fo.id, ?, r.line_id, ?, r.sku_id, r.quantity, r.price, ?, r.window_days
               from fo, unnest(?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::int[]) as r(line_id, sku_id, quantity, price, window_days)
             returning id, channel_order_line_id
           ), hops as (
             insert into fulfillment_line_hop (fulfillment_order_line_id, hop_index, offer_id, seller_merchant_id, buyer_merchant_id, unit_price_amount, currency)
             select lines.id, h.hop_index, h.offer_id, h.seller, h.buyer, h.price, h.currency
               from lines join unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
                 as h(line_id, hop_index, offer_id, seller, buyer, price, currency) on h.line_id = lines.channel_order_line_id
           ), event as (
             insert into outbox_event (type, merchant_id, aggregate_id, payload)
             select ?, ?, fo.id::text,
                    case when ? then jsonb_build_object('fulfillmentOrderId', fo.id::text, 'releaseAt', to_jsonb(fo.release_at))
                         else jsonb_build_object('fulfillmentOrderId', fo.id::text) end
               from fo where fo.created and ?
           )
           select id from fo`,
          [
            ...(fulfillmentOrderId
              ? [fulfillmentOrderId]
              : [
                  plan.supplierId,
                  warehouseId,
                  merging ? 'pending_merge' : 'new',
                  order.consignee_name,
                  order.consignee_phone,
                  order.province,
                  order.city,
                  order.district,
                  order.address,
                  key,
                  order.remarks,
                  ...(merging ? [warehouse.mergeWindowMinutes] : []),
                ]),
            order.id,
            order.merchant_id,
            order.currency,
            allocations.map((allocation) => allocation.lineId),
            allocations.map((allocation) => allocation.skuId),
            allocations.map((allocation) => allocation.quantity),
            allocations.map((allocation) => {
              const lineHops = lineById.get(allocation.lineId)!.hops;
              return lineHops.length ? lineHops[lineHops.length - 1].priceAmount : null;
            }),
            // The no-reason return window the consumer gets: the shortest any seller along the chain grants.
            allocations.map((allocation) => {
              const lineHops = lineById.get(allocation.lineId)!.hops;
              return lineHops.length ? Math.min(...lineHops.map((hop) => hop.returnWindowDays)) : null;
            }),
            hops.map((row) => row.lineId),
            hops.map((row) => row.index),
            hops.map((row) => row.hop.offerId),
            hops.map((row) => row.hop.sellerMerchantId),
            hops.map((row) => row.hop.buyerMerchantId),
            hops.map((row) => row.hop.priceAmount),
            hops.map((row) => row.hop.currency),
            merging ? 'fulfillment_order.merge_window_opened' : 'fulfillment_order.released',
            plan.supplierId,
            merging,
            // Inbox warehouses see the order at commit; only ERP warehouses need a dispatch job.
            merging || warehouse.receiveMode === 'erp_webhook',
          ],
        );
        if (!created) throw new Error(`Fulfillment order for warehouse ${warehouseId} was not written`);
      }
    }
  }
}
