import { availableAlongChain, CapIndex, capLookup } from '@gongxiao/availability';
import type { WarehouseFacts } from '@gongxiao/catalog';
import type { RoutingAllocation, RoutingStrategy, RoutingWarehouse } from './routing-strategy';
import { PlannedOrder, ResolvedLine, ResolvedOrder, RoutingException, StockFigures, stockKey, SupplierPlan } from './routing.types';

/**
 * A supplier's part that no set of its warehouses can ship now. The reason names the SKU by its
 * code, which the plan does not know: the caller looks the codes of every shortage of a batch up
 * at once and words the exception with `shortageException`.
 */
export interface StockShortage {
  ok: false;
  code: 'stock_insufficient';
  line: ResolvedLine;
  skuId: string;
  needed: number;
  available: number;
}

export type OrderPlanOutcome = { ok: true; planned: PlannedOrder } | RoutingException | StockShortage;

/** What planning needs besides the order: the batch's warehouses, caps and strategy. */
export interface PlanningContext {
  strategy: RoutingStrategy;
  warehouses: WarehouseFacts[];
  caps: CapIndex;
}

/**
 * Chooses warehouses for one order from the stock figures and, when the order can be routed,
 * takes what it uses off them (so that the next order of the batch sees what is left). An order
 * that cannot be routed leaves the figures as they were.
 */
export function planOrder(item: ResolvedOrder, context: PlanningContext, stock: StockFigures): OrderPlanOutcome {
  const bySupplier = new Map<string, ResolvedLine[]>();
  for (const line of item.lines) bySupplier.set(line.supplierMerchantId, [...(bySupplier.get(line.supplierMerchantId) ?? []), line]);
  for (const supplierId of bySupplier.keys()) {
    if (!context.warehouses.some((warehouse) => warehouse.merchantId === supplierId)) return noWarehouse(supplierId === item.order.merchant_id);
  }
  const plans: SupplierPlan[] = [];
  for (const [supplierId, allLines] of bySupplier) {
    // Made-to-order lines need no stock: they ship from the supplier's first warehouse once produced.
    const madeToOrder = madeToOrderAllocations(
      allLines.filter((line) => line.madeToOrder),
      context.warehouses.filter((warehouse) => warehouse.merchantId === supplierId),
    );
    const supplierLines = allLines.filter((line) => !line.madeToOrder);
    if (supplierLines.length === 0) {
      plans.push({ supplierId, allocations: madeToOrder });
      continue;
    }
    const candidates: RoutingWarehouse[] = context.warehouses
      .filter((warehouse) => warehouse.merchantId === supplierId)
      .map((warehouse) => ({
        id: warehouse.id,
        province: warehouse.province,
        priority: warehouse.priority,
        available: new Map(supplierLines.map((line) => [line.skuId, stock.get(stockKey(warehouse.id, line.skuId)) ?? 0])),
      }));
    const plan = context.strategy.plan({
      consigneeProvince: item.order.province,
      items: supplierLines.map((line) => ({ lineId: line.line.id, skuId: line.skuId, quantity: line.line.quantity })),
      warehouses: candidates,
    });
    if (!plan.ok) {
      const line = supplierLines.find((candidate) => candidate.skuId === plan.shortSkuId)!;
      return { ok: false, code: 'stock_insufficient', line, skuId: plan.shortSkuId, needed: plan.needed, available: plan.available };
    }
    plans.push({ supplierId, allocations: [...plan.allocations, ...madeToOrder] });
  }
  if (context.caps.size > 0) {
    const overCap = findCapExceeded(
      item.lines.filter((line) => !line.madeToOrder),
      context,
      stock,
    );
    if (overCap) return overCap;
  }
  const stocked = new Set(item.lines.filter((line) => !line.madeToOrder).map((line) => line.line.id));
  for (const allocation of plans.flatMap((plan) => plan.allocations).filter((candidate) => stocked.has(candidate.lineId))) {
    const key = stockKey(allocation.warehouseId, allocation.skuId);
    stock.set(key, (stock.get(key) ?? 0) - allocation.quantity);
  }
  return { ok: true, planned: { ...item, plans } };
}

/**
 * Made-to-order lines of one supplier, each whole at the supplier's first warehouse (lowest priority
 * number, then oldest): nothing is in stock to choose by, and a run is produced in one place.
 */
function madeToOrderAllocations(lines: ResolvedLine[], warehouses: WarehouseFacts[]): RoutingAllocation[] {
  if (lines.length === 0) return [];
  const [first] = [...warehouses].sort((a, b) => a.priority - b.priority || Number(BigInt(a.id) - BigInt(b.id)));
  return lines.map((line) => ({ warehouseId: first.id, lineId: line.line.id, skuId: line.skuId, quantity: line.line.quantity }));
}

/** The outcome of planning a batch: the orders to write, and the others by order id. */
export interface BatchPlan {
  planned: PlannedOrder[];
  held: Map<string, RoutingException | StockShortage>;
}

/**
 * Plans the orders of a batch one after another against the same stock figures (taken down as
 * they go), so that together they never take more than one read of stock showed: each order gets
 * the outcome it would get routed alone after the orders before it.
 */
export function planBatch(orders: ResolvedOrder[], context: PlanningContext, stock: StockFigures): BatchPlan {
  const planned: PlannedOrder[] = [];
  const held = new Map<string, RoutingException | StockShortage>();
  for (const item of orders) {
    const outcome = planOrder(item, context, stock);
    if (outcome.ok) planned.push(outcome.planned);
    else held.set(item.order.id, outcome);
  }
  return { planned, held };
}

/** The exception a shortage holds its order with; `skuCode` is the SKU's code when known. */
export function shortageException(shortage: StockShortage, skuCode: string | undefined): RoutingException {
  const { line } = shortage;
  // The supplier's own figure is shown only to the supplier itself (own goods), never downstream.
  const figure = line.hops.length === 0 ? `, ${shortage.available} available in your warehouses` : '; your supply chain does not have that many now';
  return {
    ok: false,
    code: 'stock_insufficient',
    reason: `Line ${line.line.line_no} (${line.line.shop_sku_code}): needs ${shortage.needed} unit(s) of SKU ${skuCode ?? shortage.skuId}${figure}. Retry the order when the supplier has restocked.`,
  };
}

export function isStockShortage(outcome: RoutingException | StockShortage): outcome is StockShortage {
  return 'skuId' in outcome;
}

function noWarehouse(ownGoods: boolean): RoutingException {
  return {
    ok: false,
    code: 'no_warehouse',
    reason: ownGoods
      ? 'You have no active warehouse to ship your own goods from. Add one, then retry the order.'
      : 'The supplier of some lines has no active warehouse to ship from. Ask your supplier, then retry the order.',
  };
}

/**
 * Allocation caps along a chain limit what a listing may sell (the same figure its shop sees):
 * an order above it is held, naming the limit.
 */
function findCapExceeded(lines: ResolvedLine[], context: PlanningContext, stock: StockFigures): RoutingException | null {
  const byListing = new Map<string, ResolvedLine[]>();
  for (const line of lines.filter((item) => item.hops.length > 0)) byListing.set(line.listingId, [...(byListing.get(line.listingId) ?? []), line]);
  for (const listingLines of byListing.values()) {
    const first = listingLines[0];
    const origin = context.warehouses
      .filter((warehouse) => warehouse.merchantId === first.supplierMerchantId)
      .reduce((sum, warehouse) => sum + Math.max(0, stock.get(stockKey(warehouse.id, first.skuId)) ?? 0), 0);
    const limit = availableAlongChain(
      origin,
      first.hops.map((hop) => ({ sellerMerchantId: hop.sellerMerchantId, buyerMerchantId: hop.buyerMerchantId, open: true })),
      capLookup(context.caps, first.skuId),
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
