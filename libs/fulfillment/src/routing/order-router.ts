import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlExec } from '@gongxiao/core';
import { AvailabilityService, CapIndex } from '@gongxiao/availability';
import { CatalogService, WarehouseFacts } from '@gongxiao/catalog';
import { InventoryService } from '@gongxiao/inventory';
import { OfferTrialsService } from '@gongxiao/offers';
import { OrdersService } from '@gongxiao/orders';
import { FundsShortfall, SettlementHoldsService } from '@gongxiao/settlement';
import { ErpDispatch } from '../erp-dispatch';
import { fundsException, holdRequestsOf } from './funds-holds';
import { OrderLineResolver } from './resolve-order-lines';
import { isStockShortage, planBatch, shortageException, StockShortage } from './routing-plan';
import { RoutingStrategy } from './routing-strategy';
import { ClaimedOrder, PlannedOrder, ResolvedOrder, RoutingException, StockFigures, stockKey } from './routing.types';
import { assignTrialUnits, TrialFigures, trialTakesOf } from './trial-units';
import { writeFulfillmentOrders } from './write-fulfillment-orders';
import { assignProductionRuns } from '../production-runs/production-run-assigner';

const RESERVATION_ATTEMPTS = 3;

/**
 * Splits orders by origin supplier and routes each part to warehouses, all or nothing per order:
 * every line resolves and is reserved, or the order is held as an exception with a reason a person
 * can act on and nothing is reserved. Resolve (listings → chains → origin SKUs), plan (pure, against
 * one read of stock for the batch) and write (one statement per concern for the whole batch) are
 * separate steps; this class runs them in the caller's transaction.
 */
@Injectable()
export class OrderRouter {
  constructor(
    private readonly orders: OrdersService,
    private readonly resolver: OrderLineResolver,
    private readonly catalog: CatalogService,
    private readonly availability: AvailabilityService,
    private readonly inventory: InventoryService,
    private readonly strategy: RoutingStrategy,
    private readonly erp: ErpDispatch,
    private readonly holds: SettlementHoldsService,
    private readonly trials: OfferTrialsService,
  ) {}

  /** Routes the claimed orders of a batch; the others are marked as exceptions. */
  async routeAll(em: EntityManager, claimed: ClaimedOrder[]): Promise<void> {
    const exceptions = new Map<string, RoutingException>();
    const resolved: ResolvedOrder[] = [];
    for (const [index, outcome] of (await this.resolver.resolve(em, claimed)).entries()) {
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
    for (const [orderId, exception] of exceptions) await this.orders.markException(em, orderId, exception.code, exception.reason, exception.detail);
  }

  /**
   * Plans every order against one read of stock and writes them all; returns the orders held as
   * exceptions. Settlement holds what every buyer owes along the chain: an order whose buyer lacks
   * funds is held as `insufficient_funds`, and the others are planned again without it (so the
   * stock it would have taken goes to them). When the reservation finds stock gone (taken by a
   * concurrent order), everything written is undone and the batch is planned again, up to
   * RESERVATION_ATTEMPTS times.
   */
  private async routeWithStock(em: EntityManager, batch: ResolvedOrder[], warehouses: WarehouseFacts[], caps: CapIndex): Promise<Map<string, RoutingException>> {
    const skuIds = [...new Set(batch.flatMap((item) => item.lines.map((line) => line.skuId)))];
    const trialPairs = batch.flatMap((item) => item.lines.flatMap((line) => line.hops.map((hop) => ({ offerId: hop.offerId, buyerMerchantId: hop.buyerMerchantId }))));
    const short = new Map<string, RoutingException>();
    let orders = batch;
    for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS;) {
      const stock: StockFigures = new Map((await this.inventory.availability(em, skuIds)).map((row) => [stockKey(row.warehouseId, row.skuId), row.available]));
      const { planned, held } = planBatch(orders, { strategy: this.strategy, warehouses, caps }, stock);
      if (planned.length === 0) return this.worded(held, short);
      // Trial units (五折试销) go to the batch's orders in order, against one read of what each buyer has left.
      const trials: TrialFigures = await this.trials.allowancesOf(em, trialPairs);
      for (const item of planned) item.trials = assignTrialUnits(item, trials);
      // Write everything, then hold the money and reserve the stock last: the hot balance and stock
      // rows stay locked only from there to the commit. A shortfall or a failed reservation undoes this attempt.
      await sqlExec(em, 'savepoint route_attempt');
      const outcome = await this.writeHoldAndReserve(em, planned, warehouses);
      if (outcome.noRun.size > 0 || outcome.shortfalls.size > 0) {
        // Each pass drops at least one order, so this ends; it does not count as a reservation attempt.
        await sqlExec(em, 'rollback to savepoint route_attempt');
        const ownerOf = new Map(orders.map((item) => [item.order.id, String(item.order.merchant_id)]));
        for (const [orderId, shortfall] of outcome.shortfalls) short.set(orderId, fundsException(shortfall, ownerOf.get(orderId)!));
        for (const [orderId, exception] of outcome.noRun) short.set(orderId, exception);
        orders = orders.filter((item) => !outcome.shortfalls.has(item.order.id) && !outcome.noRun.has(item.order.id));
        if (orders.length === 0) return this.worded(new Map(), short);
        continue;
      }
      if (outcome.reserved) {
        await sqlExec(em, 'release savepoint route_attempt');
        return this.worded(held, short);
      }
      // Someone took the stock between reading and reserving: undo this attempt (its locks go with
      // it) and plan the whole batch again against a fresh read.
      await sqlExec(em, 'rollback to savepoint route_attempt');
      attempt++;
    }
    // Still racing: a batch gives up (its orders are then routed each in a transaction of its own);
    // an order alone is held, to be retried by a person.
    if (orders.length > 1) throw new Error(`Stock kept moving under a batch of ${orders.length} orders for ${RESERVATION_ATTEMPTS} attempts`);
    return new Map([
      ...short,
      [
        orders[0].order.id,
        { ok: false, code: 'stock_insufficient', reason: 'Stock ran out while this order was being routed (other orders took it first). Retry the order when the supplier has restocked.' },
      ],
    ]);
  }

  /**
   * Writes the planned orders, holds what every buyer owes along their chains (settlement, all or
   * nothing per order), reserves their stock and takes their trial units. Returns the orders short of
   * funds or without a production run with room (nothing written then), or whether every unit was
   * reserved and every trial unit taken. Made-to-order units take a place in a production run instead of stock.
   */
  private async writeHoldAndReserve(
    em: EntityManager,
    planned: PlannedOrder[],
    warehouses: WarehouseFacts[],
  ): Promise<{ shortfalls: Map<string, FundsShortfall>; noRun: Map<string, RoutingException>; reserved: boolean }> {
    const noRun = await assignProductionRuns(em, planned, new Date());
    if (noRun.size > 0) return { shortfalls: new Map(), noRun, reserved: false };
    const toErp = await writeFulfillmentOrders(em, planned, warehouses);
    // ERP warehouses get the new orders POSTed; scheduled here, so that they leave at commit.
    await this.erp.scheduleCreated(em, toErp);
    await this.orders.markRouted(
      em,
      planned.map((item) => item.order.id),
      new Map(planned.flatMap((item) => item.lines.map((line) => [line.line.id, line.listingId] as const))),
    );
    // Balances are locked before stock, by every routing batch alike.
    const shortfalls = await this.holds.placeHolds(em, holdRequestsOf(planned));
    if (shortfalls.size > 0) return { shortfalls, noRun, reserved: false };
    // Every supplier's rows in one reservation, locked in one (warehouse, SKU) order: orders that
    // share suppliers in any order cannot deadlock.
    const missing = await this.inventory.reserveAll(
      em,
      planned.map((item) => ({
        reference: `channel_order:${item.order.id}`,
        items: item.plans.flatMap((plan) =>
          plan.allocations.filter((allocation) => !allocation.productionRunId).map((allocation) => ({ warehouseId: allocation.warehouseId, skuId: allocation.skuId, quantity: allocation.quantity })),
        ),
      })),
    );
    if (missing.length > 0) return { shortfalls, noRun, reserved: false };
    // Trial units last, as conditionally as stock: a concurrent batch that took them undoes this attempt.
    return { shortfalls, noRun, reserved: await this.trials.take(em, trialTakesOf(planned)) };
  }

  /** The held orders' exceptions, shortages named by SKU code (the codes read once for the batch). */
  private async worded(held: Map<string, RoutingException | StockShortage>, short: Map<string, RoutingException>): Promise<Map<string, RoutingException>> {
    const shortages = [...held.values()].filter(isStockShortage);
    const skus = shortages.length > 0 ? await this.catalog.skusById(shortages.map((shortage) => shortage.skuId)) : new Map<string, { code: string }>();
    return new Map([...short, ...[...held].map(([orderId, outcome]) => [orderId, isStockShortage(outcome) ? shortageException(outcome, skus.get(outcome.skuId)?.code) : outcome] as const)]);
  }
}
