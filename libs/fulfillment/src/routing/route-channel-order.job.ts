import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { availableAlongChain, AvailabilityService, CapIndex, capLookup } from '@gongxiao/availability';
import { CatalogService, WarehouseFacts } from '@gongxiao/catalog';
import { ChannelsService, ResolvedListing } from '@gongxiao/channels';
import { InventoryService } from '@gongxiao/inventory';
import { ChainHop, findChainProblem, OffersService } from '@gongxiao/offers';
import { ChannelOrderLineRow, ChannelOrderRow, OrdersService } from '@gongxiao/orders';
import { ErpNotifier, FULFILLMENT_ORDER_CREATED } from '../fulfillment.jobs';
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

type Exception = { ok: false; code: string; reason: string };

interface ClaimedOrder {
  order: ChannelOrderRow;
  lines: ChannelOrderLineRow[];
}

/** An order whose lines all resolved to origin suppliers, ready to be planned against stock. */
interface ResolvedOrder {
  order: ChannelOrderRow;
  lines: ResolvedLine[];
}

/** An order's warehouses chosen: one allocation list per origin supplier. */
interface PlannedOrder extends ResolvedOrder {
  plans: { supplierId: string; allocations: RoutingAllocation[] }[];
}

/** Available units per `warehouseId:skuId`, taken down as the orders of a batch are planned. */
type StockView = Map<string, number>;

/** Orders routed per transaction at most (the relay's group for the type): under load one job routes the orders waiting behind it. */
const ROUTING_BATCH_SIZE = JOB_ROUTES['channel_order.received'].group ?? 1;
const RESERVATION_ATTEMPTS = 3;

export function consigneeKey(order: Pick<ChannelOrderRow, 'consignee_name' | 'consignee_phone' | 'province' | 'city' | 'district' | 'address'>): string {
  const normalized = [order.consignee_name, order.consignee_phone.replace(/\D/g, ''), order.province, order.city, order.district, order.address]
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ''))
    .join('|');
  return createHash('sha256').update(normalized).digest('hex');
}

const byId = (a: string, b: string) => Number(BigInt(a) - BigInt(b));

/**
 * Splits an order by origin supplier and routes each part to warehouses, all or nothing: every
 * line resolves and is reserved, or the order is held as an exception with a reason a person can
 * act on and nothing is reserved. Runs in one transaction with the order row locked, so a repeated
 * job finds the order routed and does nothing.
 *
 * Under load one job routes every order waiting behind it (up to ROUTING_BATCH_SIZE) in the same
 * transaction: listings, chains, warehouses, caps and stock are read once for the batch, the orders
 * are planned one after another against the same stock figures, and their fulfillment orders and
 * reservations are written with one statement each. Each order still gets exactly the outcome it
 * would get alone; when a concurrent order took stock between reading and reserving, the batch is
 * undone and planned again.
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
    private readonly erp: ErpNotifier,
  ) {}

  async handle(job: OutboxJobData<'channel_order.received'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, ROUTING_BATCH_SIZE, async (em, payloads) => {
      const claimed = await this.orders.claimForRouting(
        em,
        payloads.map((payload) => payload.channelOrderId),
      );
      if (claimed.length > 0) await this.routeAll(em, claimed);
    });
  }

  private async routeAll(em: EntityManager, claimed: ClaimedOrder[]): Promise<void> {
    const exceptions = new Map<string, Exception>();
    const resolved: ResolvedOrder[] = [];
    for (const [index, outcome] of (await this.resolve(em, claimed)).entries()) {
      if (outcome.ok) resolved.push({ order: claimed[index].order, lines: outcome.lines });
      else exceptions.set(claimed[index].order.id, outcome);
    }
    if (resolved.length > 0) {
      const suppliers = [...new Set(resolved.flatMap((item) => item.lines.map((line) => line.supplierMerchantId)))];
      const warehouses = await this.catalog.activeWarehousesOf(suppliers);
      const chainPairs = resolved.flatMap((item) => item.lines.flatMap((line) => line.hops.map((hop) => ({ upstreamMerchantId: hop.sellerMerchantId, downstreamMerchantId: hop.buyerMerchantId }))));
      const caps = await this.availability.capsFor(em, chainPairs);
      for (const [orderId, exception] of await this.routeWithStock(em, resolved, warehouses, caps)) exceptions.set(orderId, exception);
    }
    for (const [orderId, exception] of exceptions) await this.orders.markException(em, orderId, exception.code, exception.reason);
  }

  /**
   * Plans every order against one read of stock and writes them all; returns the orders held as
   * exceptions. When the reservation finds stock gone (taken by a concurrent order), everything
   * written is undone and the batch is planned again, up to RESERVATION_ATTEMPTS times.
   */
  private async routeWithStock(em: EntityManager, orders: ResolvedOrder[], warehouses: WarehouseFacts[], caps: CapIndex): Promise<Map<string, Exception>> {
    const skuIds = [...new Set(orders.flatMap((item) => item.lines.map((line) => line.skuId)))];
    for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
      const stock: StockView = new Map((await this.inventory.availability(em, skuIds)).map((row) => [`${row.warehouseId}:${row.skuId}`, row.available]));
      const exceptions = new Map<string, Exception>();
      const planned: PlannedOrder[] = [];
      for (const item of orders) {
        const outcome = await this.plan(item, warehouses, caps, stock);
        if (outcome.ok) planned.push(outcome.planned);
        else exceptions.set(item.order.id, outcome);
      }
      if (planned.length === 0) return exceptions;

      // Write everything first and reserve last: the hot stock rows stay locked only from the
      // reservation to the commit. A failed reservation undoes this attempt.
      await sqlExec(em, 'savepoint route_attempt');
      const toErp = await this.createFulfillmentOrders(em, planned, warehouses);
      // ERP warehouses get the new orders POSTed; scheduled here, so that they leave at commit.
      await this.erp.notify(em, toErp, FULFILLMENT_ORDER_CREATED);
      await this.orders.markRouted(
        em,
        planned.map((item) => item.order.id),
        new Map(planned.flatMap((item) => item.lines.map((line) => [line.line.id, line.listingId] as const))),
      );
      // Every supplier's rows in one reservation, locked in one (warehouse, SKU) order: orders that
      // share suppliers in any order cannot deadlock.
      const missing = await this.inventory.reserveAll(
        em,
        planned.map((item) => ({
          reference: `channel_order:${item.order.id}`,
          items: item.plans.flatMap((plan) => plan.allocations.map((allocation) => ({ warehouseId: allocation.warehouseId, skuId: allocation.skuId, quantity: allocation.quantity }))),
        })),
      );
      if (missing.length === 0) {
        await sqlExec(em, 'release savepoint route_attempt');
        return exceptions;
      }
      // Someone took the stock between reading and reserving: undo this attempt (its locks go with
      // it) and plan the whole batch again against a fresh read.
      await sqlExec(em, 'rollback to savepoint route_attempt');
    }
    // Still racing: a batch gives up (its orders are then routed each in a transaction of its own);
    // an order alone is held, to be retried by a person.
    if (orders.length > 1) throw new Error(`Stock kept moving under a batch of ${orders.length} orders for ${RESERVATION_ATTEMPTS} attempts`);
    return new Map([
      [orders[0].order.id, { ok: false, code: 'stock_insufficient', reason: 'Stock ran out while this order was being routed (other orders took it first). Retry the order when the supplier has restocked.' }],
    ]);
  }

  /** Chooses warehouses for one order from the stock figures, and takes what it uses off them. */
  private async plan(item: ResolvedOrder, warehouses: WarehouseFacts[], caps: CapIndex, stock: StockView): Promise<{ ok: true; planned: PlannedOrder } | Exception> {
    const { order } = item;
    const bySupplier = new Map<string, ResolvedLine[]>();
    for (const line of item.lines) bySupplier.set(line.supplierMerchantId, [...(bySupplier.get(line.supplierMerchantId) ?? []), line]);
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
    const plans: PlannedOrder['plans'] = [];
    for (const [supplierId, supplierLines] of bySupplier) {
      const candidates: RoutingWarehouse[] = warehouses
        .filter((warehouse) => warehouse.merchantId === supplierId)
        .map((warehouse) => ({
          id: warehouse.id,
          province: warehouse.province,
          priority: warehouse.priority,
          available: new Map(supplierLines.map((line) => [line.skuId, stock.get(`${warehouse.id}:${line.skuId}`) ?? 0])),
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
      const overCap = this.findCapExceeded(item.lines, caps, stock, warehouses);
      if (overCap) return overCap;
    }
    for (const allocation of plans.flatMap((plan) => plan.allocations)) {
      const key = `${allocation.warehouseId}:${allocation.skuId}`;
      stock.set(key, (stock.get(key) ?? 0) - allocation.quantity);
    }
    return { ok: true, planned: { ...item, plans } };
  }

  /**
   * Allocation caps along a chain limit what a listing may sell (the same figure its shop sees):
   * an order above it is held, naming the limit.
   */
  private findCapExceeded(lines: ResolvedLine[], caps: CapIndex, stock: StockView, warehouses: WarehouseFacts[]): Exception | null {
    const byListing = new Map<string, ResolvedLine[]>();
    for (const line of lines.filter((item) => item.hops.length > 0)) byListing.set(line.listingId, [...(byListing.get(line.listingId) ?? []), line]);
    for (const listingLines of byListing.values()) {
      const first = listingLines[0];
      const origin = warehouses
        .filter((warehouse) => warehouse.merchantId === first.supplierMerchantId)
        .reduce((sum, warehouse) => sum + Math.max(0, stock.get(`${warehouse.id}:${first.skuId}`) ?? 0), 0);
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

  /**
   * Shop SKU code → listing → offer chain → origin supplier and SKU, checking every hop, for every
   * order of the batch (listings read once per shop, chains once per buying merchant).
   */
  private async resolve(em: EntityManager, claimed: ClaimedOrder[]): Promise<({ ok: true; lines: ResolvedLine[] } | Exception)[]> {
    const listingsOfShop = new Map<string, Map<string, ResolvedListing>>();
    for (const shopId of new Set(claimed.map((item) => item.order.shop_id))) {
      const codes = claimed.filter((item) => item.order.shop_id === shopId).flatMap((item) => item.lines.map((line) => line.shop_sku_code));
      listingsOfShop.set(shopId, await this.channels.resolveListings(em, shopId, codes));
    }
    // An offer open to every partner is bought by each listing's merchant: chains are per buyer.
    const chainOf = new Map<string, ChainHop[]>();
    for (const buyerId of new Set(claimed.map((item) => item.order.merchant_id))) {
      const offerIds = claimed
        .filter((item) => item.order.merchant_id === buyerId)
        .flatMap((item) => item.lines.map((line) => listingsOfShop.get(item.order.shop_id)!.get(line.shop_sku_code)?.offerId ?? null))
        .filter((offerId): offerId is string => offerId !== null);
      const chains = await this.offers.chainsOf(em, offerIds.map((offerId) => ({ offerId, buyerMerchantId: buyerId })));
      for (const [offerId, hops] of chains) chainOf.set(`${buyerId}:${offerId}`, hops);
    }
    const chainKeys = [...chainOf.keys()];
    const problems = await this.offers.checkChains(chainKeys.map((key) => chainOf.get(key)!));
    const problemOf = new Map(chainKeys.map((key, index) => [key, problems[index]]));
    return claimed.map((item) => this.resolveOrder(item, listingsOfShop.get(item.order.shop_id)!, chainOf, problemOf));
  }

  private resolveOrder(
    { order, lines }: ClaimedOrder,
    listings: Map<string, ResolvedListing>,
    chainOf: Map<string, ChainHop[]>,
    problemOf: Map<string, ReturnType<typeof findChainProblem>>,
  ): { ok: true; lines: ResolvedLine[] } | Exception {
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
    const resolved: ResolvedLine[] = [];
    for (const line of lines) {
      const listing = listings.get(line.shop_sku_code)!;
      if (listing.offerId === null) {
        resolved.push({ line, listingId: listing.listingId, supplierMerchantId: order.merchant_id, skuId: listing.skuId!, hops: [] });
        continue;
      }
      const key = `${order.merchant_id}:${listing.offerId}`;
      const hops = chainOf.get(key);
      const problem = hops ? problemOf.get(key) : { code: 'offer_withdrawn', message: `offer ${listing.offerId} no longer exists` };
      if (!hops || problem) {
        return { ok: false, code: problem!.code, reason: `Line ${line.line_no} (${line.shop_sku_code}): ${problem!.message}. Fix the listing or the partnership, then retry the order.` };
      }
      const origin = hops[hops.length - 1];
      resolved.push({ line, listingId: listing.listingId, supplierMerchantId: origin.originMerchantId, skuId: origin.originSkuId, hops });
    }
    return { ok: true, lines: resolved };
  }

  /**
   * One fulfillment order per order and warehouse, with every hop's price frozen now, for the whole
   * batch in one statement. A warehouse with a merge window adds the lines to the consignee's open
   * fulfillment order there (or opens one that later orders of the batch join).
   */
  /** Returns the new fulfillment orders that go to ERP warehouses at once (no merge window). */
  private async createFulfillmentOrders(em: EntityManager, planned: PlannedOrder[], candidates: WarehouseFacts[]): Promise<string[]> {
    const warehouses = new Map(candidates.map((warehouse) => [warehouse.id, warehouse]));
    interface Part {
      order: ChannelOrderRow;
      key: string;
      supplierId: string;
      warehouse: WarehouseFacts;
      allocations: RoutingAllocation[];
      lineById: Map<string, ResolvedLine>;
    }
    const parts: Part[] = [];
    for (const item of planned) {
      const key = consigneeKey(item.order);
      const lineById = new Map(item.lines.map((line) => [line.line.id, line]));
      for (const plan of item.plans) {
        const byWarehouse = new Map<string, RoutingAllocation[]>();
        for (const allocation of plan.allocations) byWarehouse.set(allocation.warehouseId, [...(byWarehouse.get(allocation.warehouseId) ?? []), allocation]);
        for (const [warehouseId, allocations] of byWarehouse) parts.push({ order: item.order, key, supplierId: plan.supplierId, warehouse: warehouses.get(warehouseId)!, allocations, lineById });
      }
    }

    // Two orders for the same consignee routed at once must not both open a merge window: lock each
    // merging warehouse × consignee first, in (warehouse, consignee) order, so such orders cannot deadlock.
    const mergeKey = (part: Part) => `${part.warehouse.id}:${part.key}`;
    const merging = [...new Map(parts.filter((part) => part.warehouse.mergeWindowMinutes > 0).map((part) => [mergeKey(part), part])).values()].sort(
      (a, b) => byId(a.warehouse.id, b.warehouse.id) || a.key.localeCompare(b.key),
    );
    const openByMergeKey = new Map<string, string>();
    if (merging.length > 0) {
      await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended(w::text || ':' || k, 0)) from unnest(?::bigint[], ?::text[]) with ordinality as t(w, k, n) order by n`, [
        merging.map((part) => part.warehouse.id),
        merging.map((part) => part.key),
      ]);
      const open = await sqlRows<{ id: string; warehouse_id: string; consignee_key: string }>(
        em,
        `select id::text, warehouse_id::text, consignee_key from fulfillment_order
          where (warehouse_id, consignee_key) in (select * from unnest(?::bigint[], ?::text[])) and status = 'pending_merge' and release_at > now()
          order by id for update`,
        [merging.map((part) => part.warehouse.id), merging.map((part) => part.key)],
      );
      for (const row of open) if (!openByMergeKey.has(`${row.warehouse_id}:${row.consignee_key}`)) openByMergeKey.set(`${row.warehouse_id}:${row.consignee_key}`, row.id);
    }

    // New fulfillment orders get their ids first, so that lines of several orders can join one.
    const opening: Part[] = [];
    const openerOf = new Map<Part, Part>();
    const openerByMergeKey = new Map<string, Part>();
    for (const part of parts) {
      if (part.warehouse.mergeWindowMinutes > 0 && openByMergeKey.has(mergeKey(part))) continue;
      const opener = part.warehouse.mergeWindowMinutes > 0 ? openerByMergeKey.get(mergeKey(part)) : undefined;
      if (opener) {
        openerOf.set(part, opener);
        continue;
      }
      opening.push(part);
      openerOf.set(part, part);
      if (part.warehouse.mergeWindowMinutes > 0) openerByMergeKey.set(mergeKey(part), part);
    }
    const ids = await sqlRows<{ id: string }>(em, `select nextval(pg_get_serial_sequence('fulfillment_order', 'id'))::text as id from generate_series(1, ?::int)`, [opening.length]);
    const newIdOf = new Map(opening.map((part, index) => [part, ids[index].id]));
    const targetOf = (part: Part) => openByMergeKey.get(mergeKey(part)) ?? newIdOf.get(openerOf.get(part)!)!;

    const lines = parts.flatMap((part) => part.allocations.map((allocation) => ({ part, allocation, resolved: part.lineById.get(allocation.lineId)! })));
    const hops = lines.flatMap((row) => row.resolved.hops.map((hop, index) => ({ ...row, hop, index })));
    // One statement for the batch: the new fulfillment orders, their lines with the supplier's
    // price, every hop's price, and the outbox events of merge windows (their release job).
    const written = await sqlOne<{ lines: string }>(
      em,
      `with fo as (
         insert into fulfillment_order (id, supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address,
                                        consignee_key, remarks, release_at, released_at)
         select f.id, f.supplier, f.warehouse, case when f.merge_minutes > 0 then 'pending_merge' else 'new' end,
                f.name, f.phone, f.province, f.city, f.district, f.address, f.consignee_key, f.remarks,
                case when f.merge_minutes > 0 then now() + make_interval(mins => f.merge_minutes) end,
                case when f.merge_minutes > 0 then null else now() end
           from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])
             as f(id, supplier, warehouse, name, phone, province, city, district, address, consignee_key, remarks, merge_minutes)
         returning id, supplier_merchant_id, status, release_at
       ), lines as (
         insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, supply_price_amount, currency, return_window_days)
         select r.fo_id, r.order_id, r.line_id, r.distributor, r.sku_id, r.quantity, r.price, r.currency, r.window_days
           from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::text[], ?::int[])
             as r(fo_id, order_id, line_id, distributor, sku_id, quantity, price, currency, window_days)
         returning id, fulfillment_order_id, channel_order_line_id
       ), hops as (
         insert into fulfillment_line_hop (fulfillment_order_line_id, hop_index, offer_id, seller_merchant_id, buyer_merchant_id, unit_price_amount, currency)
         select lines.id, h.hop_index, h.offer_id, h.seller, h.buyer, h.price, h.currency
           from lines join unnest(?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
             as h(fo_id, line_id, hop_index, offer_id, seller, buyer, price, currency)
             on h.fo_id = lines.fulfillment_order_id and h.line_id = lines.channel_order_line_id
       ), events as (
         insert into outbox_event (type, merchant_id, aggregate_id, payload)
         select 'fulfillment_order.merge_window_opened', fo.supplier_merchant_id, fo.id::text,
                jsonb_build_object('fulfillmentOrderId', fo.id::text, 'releaseAt', to_jsonb(fo.release_at))
           from fo where fo.status = 'pending_merge'
       )
       select count(*)::text as lines from lines`,
      [
        opening.map((part) => newIdOf.get(part)),
        opening.map((part) => part.supplierId),
        opening.map((part) => part.warehouse.id),
        opening.map((part) => part.order.consignee_name),
        opening.map((part) => part.order.consignee_phone),
        opening.map((part) => part.order.province),
        opening.map((part) => part.order.city),
        opening.map((part) => part.order.district),
        opening.map((part) => part.order.address),
        opening.map((part) => part.key),
        opening.map((part) => part.order.remarks),
        opening.map((part) => part.warehouse.mergeWindowMinutes),
        lines.map((row) => targetOf(row.part)),
        lines.map((row) => row.part.order.id),
        lines.map((row) => row.allocation.lineId),
        lines.map((row) => row.part.order.merchant_id),
        lines.map((row) => row.allocation.skuId),
        lines.map((row) => row.allocation.quantity),
        lines.map((row) => (row.resolved.hops.length ? row.resolved.hops[row.resolved.hops.length - 1].priceAmount : null)),
        lines.map((row) => row.part.order.currency),
        // The no-reason return window the consumer gets: the shortest any seller along the chain grants.
        lines.map((row) => (row.resolved.hops.length ? Math.min(...row.resolved.hops.map((hop) => hop.returnWindowDays)) : null)),
        hops.map((row) => targetOf(row.part)),
        hops.map((row) => row.allocation.lineId),
        hops.map((row) => row.index),
        hops.map((row) => row.hop.offerId),
        hops.map((row) => row.hop.sellerMerchantId),
        hops.map((row) => row.hop.buyerMerchantId),
        hops.map((row) => row.hop.priceAmount),
        hops.map((row) => row.hop.currency),
      ],
    );
    if (Number(written?.lines) !== lines.length) throw new Error(`Fulfillment order lines were not all written (${written?.lines} of ${lines.length})`);
    return opening.filter((part) => part.warehouse.mergeWindowMinutes === 0 && part.warehouse.receiveMode === 'erp_webhook').map((part) => newIdOf.get(part)!);
  }
}
