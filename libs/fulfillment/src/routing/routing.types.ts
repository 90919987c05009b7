import type { ChainHop, LineCustomization, MadeToOrderTerms } from '@gongxiao/offers';
import type { ChannelOrderLineRow, ChannelOrderRow } from '@gongxiao/orders';
import type { RoutingAllocation } from './routing-strategy';
import type { HopTrial } from './trial-units';

/** One order line resolved down the chain to its origin supplier and SKU. */
export interface ResolvedLine {
  line: ChannelOrderLineRow;
  listingId: string;
  supplierMerchantId: string;
  skuId: string;
  /** Hop 0 is the distributor's purchase; the last hop is the origin supplier's sale. Empty for own goods. */
  hops: ChainHop[];
  /** The line's light customization, checked against the origin offer's options (absent: none). Its extra is added to every hop's unit price. */
  customization?: LineCustomization;
  /** The origin offer's made-to-order terms (C2M): the line needs no stock and waits in a production run. Absent: shipped from stock. */
  madeToOrder?: MadeToOrderTerms;
}

/** Why an order is held instead of routed: a stable code and a reason a person can act on. */
export interface RoutingException {
  ok: false;
  code: string;
  reason: string;
  /** What the exception is about, for the machines that clear it (e.g. the funds pair of `insufficient_funds`). */
  detail?: Record<string, unknown>;
}

/** An order claimed for routing, with its lines. */
export interface ClaimedOrder {
  order: ChannelOrderRow;
  lines: ChannelOrderLineRow[];
}

/** An order whose lines all resolved to origin suppliers, ready to be planned against stock. */
export interface ResolvedOrder {
  order: ChannelOrderRow;
  lines: ResolvedLine[];
}

/** One origin supplier's part of an order, with the warehouses chosen for its lines. */
export interface SupplierPlan {
  supplierId: string;
  allocations: RoutingAllocation[];
}

/** An order's warehouses chosen: one allocation list per origin supplier. */
export interface PlannedOrder extends ResolvedOrder {
  plans: SupplierPlan[];
  /** Trial units (五折试销) per allocation (`allocationKey`) and hop; absent or empty: every unit at the regular price. */
  trials?: Map<string, HopTrial[]>;
}

/** Available units per `warehouseId:skuId`, taken down as the orders of a batch are planned. */
export type StockFigures = Map<string, number>;

export function stockKey(warehouseId: string, skuId: string): string {
  return `${warehouseId}:${skuId}`;
}

/** The customization extra per unit of a resolved line (0 without): every hop passes the origin's extra on at cost. */
export function customizationExtraOf(line: ResolvedLine): number {
  return line.customization?.extraAmount ?? 0;
}
