import type { WarehouseFacts } from '@gongxiao/catalog';
import type { ChannelOrderRow } from '@gongxiao/orders';
import { consigneeKey } from './consignee-key';
import type { RoutingAllocation } from './routing-strategy';
import { PlannedOrder, ResolvedLine } from './routing.types';

/** What one warehouse ships of one order: it becomes a fulfillment order, or joins one. */
export interface FulfillmentOrderPart {
  order: ChannelOrderRow;
  /** The consignee merge key of the order. */
  consigneeKey: string;
  supplierId: string;
  warehouse: WarehouseFacts;
  allocations: RoutingAllocation[];
  lineById: Map<string, ResolvedLine>;
  /** The order's trial units by allocation and hop (`PlannedOrder.trials`). */
  trials?: PlannedOrder['trials'];
  /** Made to order: the production run its units wait in (its own fulfillment order, never merged). */
  productionRunId?: string;
}

/** One fulfillment order line to write, with the resolved line its prices come from. */
export interface PartLine {
  part: FulfillmentOrderPart;
  allocation: RoutingAllocation;
  resolved: ResolvedLine;
}

/** Cuts the planned orders of a batch into parts: one per order and warehouse, and one per order and production run. */
export function partsOf(planned: PlannedOrder[], warehouses: WarehouseFacts[]): FulfillmentOrderPart[] {
  const warehouseById = new Map(warehouses.map((warehouse) => [warehouse.id, warehouse]));
  const parts: FulfillmentOrderPart[] = [];
  for (const item of planned) {
    const key = consigneeKey(item.order);
    const lineById = new Map(item.lines.map((line) => [line.line.id, line]));
    for (const plan of item.plans) {
      const byWarehouse = new Map<string, RoutingAllocation[]>();
      for (const allocation of plan.allocations) {
        const partKey = `${allocation.warehouseId}|${allocation.productionRunId ?? ''}`;
        byWarehouse.set(partKey, [...(byWarehouse.get(partKey) ?? []), allocation]);
      }
      for (const allocations of byWarehouse.values()) {
        const { warehouseId, productionRunId } = allocations[0];
        parts.push({
          order: item.order,
          consigneeKey: key,
          supplierId: plan.supplierId,
          warehouse: warehouseById.get(warehouseId)!,
          allocations,
          lineById,
          trials: item.trials,
          ...(productionRunId ? { productionRunId } : {}),
        });
      }
    }
  }
  return parts;
}

/** A part waits in the warehouse's merge window for the consignee's other orders (made-to-order parts never: they wait for their run). */
export function isMerging(part: FulfillmentOrderPart): boolean {
  return part.warehouse.mergeWindowMinutes > 0 && !part.productionRunId;
}

/** Parts of one warehouse and consignee share a merge key: they may join one fulfillment order. */
export function mergeKeyOf(part: FulfillmentOrderPart): string {
  return `${part.warehouse.id}:${part.consigneeKey}`;
}

const byId = (a: string, b: string) => Number(BigInt(a) - BigInt(b));

/**
 * One part per merge key among the parts of merging warehouses, in (warehouse id, consignee key)
 * order: the order their locks are taken in, so that two batches with the same consignees cannot
 * deadlock.
 */
export function mergeLockOrder(parts: FulfillmentOrderPart[]): FulfillmentOrderPart[] {
  return [...new Map(parts.filter(isMerging).map((part) => [mergeKeyOf(part), part])).values()].sort((a, b) => byId(a.warehouse.id, b.warehouse.id) || a.consigneeKey.localeCompare(b.consigneeKey));
}

/** Which parts open a new fulfillment order, and which part's new order every other part joins. */
export interface MergeAssignment {
  /** The parts that open a fulfillment order, in the order their ids are taken. */
  opening: FulfillmentOrderPart[];
  /** For every part not joining an already open order: the opening part whose order it goes into (itself when it opens one). */
  openerOf: Map<FulfillmentOrderPart, FulfillmentOrderPart>;
}

/**
 * A part at a merging warehouse joins the consignee's fulfillment order already open there
 * (`openByMergeKey`), else the first part of the batch with its merge key opens one that the
 * later ones join; a part at any other warehouse opens its own.
 */
export function assignMerges(parts: FulfillmentOrderPart[], openByMergeKey: Map<string, string>): MergeAssignment {
  const opening: FulfillmentOrderPart[] = [];
  const openerOf = new Map<FulfillmentOrderPart, FulfillmentOrderPart>();
  const openerByMergeKey = new Map<string, FulfillmentOrderPart>();
  for (const part of parts) {
    if (isMerging(part) && openByMergeKey.has(mergeKeyOf(part))) continue;
    const opener = isMerging(part) ? openerByMergeKey.get(mergeKeyOf(part)) : undefined;
    if (opener) {
      openerOf.set(part, opener);
      continue;
    }
    opening.push(part);
    openerOf.set(part, part);
    if (isMerging(part)) openerByMergeKey.set(mergeKeyOf(part), part);
  }
  return { opening, openerOf };
}

/** Every fulfillment order line the parts make, one per allocation. */
export function linesOfParts(parts: FulfillmentOrderPart[]): PartLine[] {
  return parts.flatMap((part) => part.allocations.map((allocation) => ({ part, allocation, resolved: part.lineById.get(allocation.lineId)! })));
}
