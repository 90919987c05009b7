import { provinceCodeOf } from '@gongxiao/core';

/** One line of one supplier's part of an order. */
export interface RoutingItem {
  /** The channel order line it comes from. */
  lineId: string;
  skuId: string;
  quantity: number;
}

export interface RoutingWarehouse {
  id: string;
  province: string;
  priority: number;
  /** Units available to sell, per SKU id. */
  available: Map<string, number>;
}

export interface RoutingAllocation {
  warehouseId: string;
  lineId: string;
  skuId: string;
  quantity: number;
  /** Made to order: the production run the units wait in (no stock is reserved for them). */
  productionRunId?: string;
}

export type RoutingPlan = { ok: true; allocations: RoutingAllocation[] } | { ok: false; shortSkuId: string; needed: number; available: number };

export interface RoutingRequest {
  consigneeProvince: string;
  items: RoutingItem[];
  warehouses: RoutingWarehouse[];
}

/** Chooses the warehouses that ship one supplier's lines of an order. */
export abstract class RoutingStrategy {
  abstract plan(request: RoutingRequest): RoutingPlan;
}

/**
 * The key provinces compare by: the GB/T 2260 code of any spelling the normalizer recognizes
 * ("广东省", "广东", "Guangdong", "GD", "CN20" → "44"), else the text folded (case, spaces and the
 * administrative suffixes dropped), so two unrecognized spellings that are the same still match.
 */
export function normalizeProvince(province: string): string {
  return (
    provinceCodeOf(province) ??
    province
      .trim()
      .toLowerCase()
      .replace(/(省|市|自治区|特别行政区|壮族|回族|维吾尔|province|municipality)/g, '')
      .replace(/\s+/g, '')
  );
}

/**
 * The default: one warehouse that can ship every line, preferring the consignee's province, then
 * the lowest priority number; else as few parcels as possible — repeatedly take the warehouse that
 * can ship the most remaining lines whole; a line no warehouse can ship whole is split by quantity.
 */
export class DefaultRoutingStrategy extends RoutingStrategy {
  plan(request: RoutingRequest): RoutingPlan {
    const province = normalizeProvince(request.consigneeProvince);
    const local = new Map(request.warehouses.map((warehouse) => [warehouse.id, Number(normalizeProvince(warehouse.province) === province)]));
    const warehouses = [...request.warehouses].sort((a, b) => local.get(b.id)! - local.get(a.id)! || a.priority - b.priority || Number(BigInt(a.id) - BigInt(b.id)));
    const stock = new Map(warehouses.map((warehouse) => [warehouse.id, new Map(warehouse.available)]));
    const availableOf = (warehouseId: string, skuId: string) => stock.get(warehouseId)!.get(skuId) ?? 0;

    const short = this.findShortage(request.items, warehouses, availableOf);
    if (short) return short;

    const canShipAll = (warehouseId: string, items: RoutingItem[]) => {
      const needed = new Map<string, number>();
      for (const item of items) needed.set(item.skuId, (needed.get(item.skuId) ?? 0) + item.quantity);
      return [...needed].every(([skuId, quantity]) => availableOf(warehouseId, skuId) >= quantity);
    };
    const single = warehouses.find((warehouse) => canShipAll(warehouse.id, request.items));
    if (single) return { ok: true, allocations: request.items.map((item) => ({ warehouseId: single.id, lineId: item.lineId, skuId: item.skuId, quantity: item.quantity })) };

    const allocations: RoutingAllocation[] = [];
    const take = (warehouseId: string, item: RoutingItem, quantity: number) => {
      allocations.push({ warehouseId, lineId: item.lineId, skuId: item.skuId, quantity });
      stock.get(warehouseId)!.set(item.skuId, availableOf(warehouseId, item.skuId) - quantity);
    };
    let remaining = [...request.items];
    while (remaining.length > 0) {
      let best: { warehouseId: string; lines: RoutingItem[] } | null = null;
      for (const warehouse of warehouses) {
        const budget = new Map(stock.get(warehouse.id)!);
        const lines = remaining.filter((item) => {
          const left = budget.get(item.skuId) ?? 0;
          if (left < item.quantity) return false;
          budget.set(item.skuId, left - item.quantity);
          return true;
        });
        if (lines.length > (best?.lines.length ?? 0)) best = { warehouseId: warehouse.id, lines };
      }
      if (best) {
        for (const item of best.lines) take(best.warehouseId, item, item.quantity);
        remaining = remaining.filter((item) => !best!.lines.includes(item));
        continue;
      }
      // No warehouse can ship any remaining line whole: split the first one across warehouses.
      const item = remaining.shift()!;
      let left = item.quantity;
      for (const warehouse of warehouses) {
        const quantity = Math.min(left, availableOf(warehouse.id, item.skuId));
        if (quantity > 0) {
          take(warehouse.id, item, quantity);
          left -= quantity;
        }
        if (left === 0) break;
      }
    }
    return { ok: true, allocations };
  }

  private findShortage(items: RoutingItem[], warehouses: RoutingWarehouse[], availableOf: (warehouseId: string, skuId: string) => number): RoutingPlan | null {
    const needed = new Map<string, number>();
    for (const item of items) needed.set(item.skuId, (needed.get(item.skuId) ?? 0) + item.quantity);
    for (const [skuId, quantity] of needed) {
      const available = warehouses.reduce((sum, warehouse) => sum + availableOf(warehouse.id, skuId), 0);
      if (available < quantity) return { ok: false, shortSkuId: skuId, needed: quantity, available };
    }
    return null;
  }
}
