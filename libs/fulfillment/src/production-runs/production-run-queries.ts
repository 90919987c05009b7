import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import type { CatalogService } from '@gongxiao/catalog';
import { dateText } from '../release-state';
import type { ProductionDemandDto, ProductionRunResponseDto, ProductionRunStatus } from './production-runs.dto';

export interface ProductionRunRow {
  id: string;
  supplier_merchant_id: string;
  offer_id: string;
  sku_id: string;
  warehouse_id: string;
  cutoff_at: Date;
  status: ProductionRunStatus;
  lead_time_days: number;
  min_batch_units: number;
  max_batch_units: number | null;
  closed_at: Date | null;
  confirmed_at: Date | null;
  produced_below_minimum: boolean;
  promised_ship_date: string | Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
}

/** A run's live demand: units ordered and not cancelled per customization, and the fulfillment orders they are on. */
export interface RunDemand {
  parts: ProductionDemandDto[];
  orders: number;
}

/** The live demand of each run, from its fulfillment orders not cancelled: one statement (a grouping set per run gives its order count). */
export async function demandOfRuns(em: EntityManager, runIds: string[]): Promise<Map<string, RunDemand>> {
  const result = new Map<string, RunDemand>();
  if (runIds.length === 0) return result;
  const rows = await sqlRows<{ run_id: string; customization_key: string | null; customization_label: string; units: number; orders: number }>(
    em,
    `select f.production_run_id::text as run_id, l.customization_key, min(l.customization_label) as customization_label,
            sum(l.quantity - l.cancelled_quantity)::int as units, count(distinct f.id)::int as orders
       from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id
      where f.production_run_id = any(?::bigint[]) and f.status <> 'cancelled' and l.quantity > l.cancelled_quantity
      group by grouping sets ((f.production_run_id, l.customization_key), (f.production_run_id))
      order by f.production_run_id, l.customization_key nulls first`,
    [runIds],
  );
  for (const row of rows) {
    const demand = result.get(row.run_id) ?? { parts: [], orders: 0 };
    if (row.customization_key === null) demand.orders = row.orders;
    else demand.parts.push({ customizationKey: row.customization_key, customizationLabel: row.customization_label, units: row.units, orders: row.orders });
    result.set(row.run_id, demand);
  }
  return result;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The supplier's view of runs: terms, live demand per customization, and what became of them. One statement for the demand, one for the SKUs. */
export async function presentRuns(em: EntityManager, catalog: CatalogService, rows: ProductionRunRow[]): Promise<ProductionRunResponseDto[]> {
  const demand = await demandOfRuns(
    em,
    rows.map((row) => String(row.id)),
  );
  const skus = await catalog.skusById(rows.map((row) => String(row.sku_id)));
  return rows.map((row) => {
    const { parts, orders } = demand.get(String(row.id)) ?? { parts: [], orders: 0 };
    const units = parts.reduce((sum, part) => sum + part.units, 0);
    return {
      id: String(row.id),
      status: row.status,
      offerId: String(row.offer_id),
      skuId: String(row.sku_id),
      skuCode: skus.get(String(row.sku_id))?.code ?? '',
      skuName: skus.get(String(row.sku_id))?.name ?? '',
      warehouseId: String(row.warehouse_id),
      cutoffAt: new Date(row.cutoff_at).toISOString(),
      leadTimeDays: row.lead_time_days,
      minBatchUnits: row.min_batch_units,
      maxBatchUnits: row.max_batch_units,
      units,
      orderCount: orders,
      belowMinimum: units < row.min_batch_units,
      demand: parts,
      closedAt: iso(row.closed_at),
      confirmedAt: iso(row.confirmed_at),
      producedBelowMinimum: row.produced_below_minimum,
      promisedShipDate: dateText(row.promised_ship_date),
      cancelledAt: iso(row.cancelled_at),
      cancelReason: row.cancel_reason,
      createdAt: new Date(row.created_at).toISOString(),
    };
  });
}
