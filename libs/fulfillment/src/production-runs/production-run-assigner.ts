import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';
import type { MadeToOrderTerms } from '@gongxiao/offers';
import { timeZonesOf } from '@gongxiao/settlement';
import type { RoutingAllocation } from '../routing/routing-strategy';
import type { PlannedOrder, ResolvedLine, RoutingException } from '../routing/routing.types';
import { nextCutoffs } from './cutoff-schedule';

/** How many cut-offs ahead an order may wait for a run with room before it is held. */
export const RUNS_AHEAD = 8;

/** A run an allocation may join: an existing one (open, or not to be joined), or one to open. */
interface RunSlot {
  key: string;
  skuId: string;
  cutoffAt: Date;
  terms: MadeToOrderTerms;
  supplierId: string;
  warehouseId: string;
  id?: string;
  status: string;
  maxBatchUnits: number | null;
  units: number;
}

interface MadeToOrderUnit {
  order: PlannedOrder;
  supplierId: string;
  allocation: RoutingAllocation;
  line: ResolvedLine;
}

const runKey = (skuId: string, cutoffAt: Date) => `${skuId}@${cutoffAt.toISOString()}`;

/**
 * Puts every made-to-order allocation of the batch into a production run: the open run of its SKU
 * whose cut-off is next (on the supplier's wall clock), or, when that one has no room left for the
 * whole line (its maximum batch) or has already closed, the next cut-off's. Runs of a SKU are locked
 * (an advisory lock per SKU, in SKU order, which the cut-off sweep takes too) so that concurrent
 * batches count each other's units. All or nothing per order: an order with a line that fits no run
 * within RUNS_AHEAD cut-offs is returned as an exception and none of its lines take a place. Sets
 * `productionRunId` on the allocations it places; opens the runs they need.
 */
export async function assignProductionRuns(em: EntityManager, planned: PlannedOrder[], now: Date): Promise<Map<string, RoutingException>> {
  const units: MadeToOrderUnit[] = planned.flatMap((order) =>
    order.plans.flatMap((plan) =>
      plan.allocations.flatMap((allocation) => {
        const line = order.lines.find((candidate) => candidate.line.id === allocation.lineId)!;
        return line.madeToOrder ? [{ order, supplierId: plan.supplierId, allocation, line }] : [];
      }),
    ),
  );
  const held = new Map<string, RoutingException>();
  if (units.length === 0) return held;
  const zones = await timeZonesOf(
    em,
    units.map((unit) => unit.supplierId),
  );
  const skuIds = [...new Set(units.map((unit) => unit.allocation.skuId))].sort((a, b) => Number(BigInt(a) - BigInt(b)));
  await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended('production_run:' || sku, 0)) from unnest(?::bigint[]) with ordinality as t(sku, n) order by n`, [skuIds]);
  const cutoffsOf = (unit: MadeToOrderUnit) => nextCutoffs(unit.line.madeToOrder!.cutoffWeekdays, unit.line.madeToOrder!.cutoffTime, zones.get(unit.supplierId)!, now, RUNS_AHEAD);
  const slots = await existingSlots(em, skuIds, [...new Set(units.flatMap((unit) => cutoffsOf(unit).map((cutoff) => cutoff.toISOString())))]);

  for (const order of new Set(units.map((unit) => unit.order))) {
    const taken = new Map<RunSlot, number>();
    for (const unit of units.filter((candidate) => candidate.order === order)) {
      const terms = unit.line.madeToOrder!;
      const quantity = unit.allocation.quantity;
      const slot = cutoffsOf(unit)
        .map((cutoffAt) => slots.get(runKey(unit.allocation.skuId, cutoffAt)) ?? newSlot(slots, unit, cutoffAt))
        .find((candidate) => candidate.status === 'open' && (candidate.maxBatchUnits === null || candidate.units + (taken.get(candidate) ?? 0) + quantity <= candidate.maxBatchUnits));
      if (!slot) {
        held.set(order.order.id, fullException(unit, terms));
        break;
      }
      taken.set(slot, (taken.get(slot) ?? 0) + quantity);
      unit.allocation.productionRunId = slot.key;
    }
    if (held.has(order.order.id)) continue;
    for (const [slot, quantity] of taken) slot.units += quantity;
  }
  await openRuns(
    em,
    [...slots.values()].filter((slot) => !slot.id && slot.units > 0),
  );
  for (const unit of units) {
    if (held.has(unit.order.order.id)) delete unit.allocation.productionRunId;
    else unit.allocation.productionRunId = slots.get(unit.allocation.productionRunId!)!.id;
  }
  return held;
}

function newSlot(slots: Map<string, RunSlot>, unit: MadeToOrderUnit, cutoffAt: Date): RunSlot {
  const terms = unit.line.madeToOrder!;
  const key = runKey(unit.allocation.skuId, cutoffAt);
  const slot: RunSlot = {
    key,
    skuId: unit.allocation.skuId,
    cutoffAt,
    terms,
    supplierId: unit.supplierId,
    warehouseId: unit.allocation.warehouseId,
    status: 'open',
    maxBatchUnits: terms.maxBatchUnits,
    units: 0,
  };
  slots.set(key, slot);
  return slot;
}

/** The runs already there for these SKUs and cut-offs, with the live units (ordered less cancelled) of each. */
async function existingSlots(em: EntityManager, skuIds: string[], cutoffs: string[]): Promise<Map<string, RunSlot>> {
  const rows = await sqlRows<{ id: string; sku_id: string; cutoff_at: Date; status: string; max_batch_units: number | null; units: number }>(
    em,
    `select r.id::text, r.sku_id::text, r.cutoff_at, r.status, r.max_batch_units,
            coalesce((select sum(l.quantity - l.cancelled_quantity) from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id
                       where f.production_run_id = r.id), 0)::int as units
       from production_run r where r.sku_id = any(?::bigint[]) and r.cutoff_at = any(?::timestamptz[])`,
    [skuIds, cutoffs],
  );
  return new Map(
    rows.map((row) => {
      const cutoffAt = new Date(row.cutoff_at);
      const slot = { key: runKey(row.sku_id, cutoffAt), skuId: row.sku_id, cutoffAt, id: row.id, status: row.status, maxBatchUnits: row.max_batch_units, units: row.units } as RunSlot;
      return [slot.key, slot];
    }),
  );
}

/** Opens the runs the batch needs, each with the terms it opens with; fills in their ids. */
async function openRuns(em: EntityManager, opening: RunSlot[]): Promise<void> {
  if (opening.length === 0) return;
  const rows = await sqlRows<{ id: string; sku_id: string; cutoff_at: Date }>(
    em,
    `insert into production_run (supplier_merchant_id, offer_id, sku_id, warehouse_id, cutoff_at, lead_time_days, min_batch_units, max_batch_units)
     select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::timestamptz[], ?::int[], ?::int[], ?::int[])
     returning id::text, sku_id::text, cutoff_at`,
    [
      opening.map((slot) => slot.supplierId),
      opening.map((slot) => slot.terms.offerId),
      opening.map((slot) => slot.skuId),
      opening.map((slot) => slot.warehouseId),
      opening.map((slot) => slot.cutoffAt.toISOString()),
      opening.map((slot) => slot.terms.leadTimeDays),
      opening.map((slot) => slot.terms.minBatchUnits),
      opening.map((slot) => slot.terms.maxBatchUnits),
    ],
  );
  const byKey = new Map(opening.map((slot) => [slot.key, slot]));
  for (const row of rows) byKey.get(runKey(row.sku_id, new Date(row.cutoff_at)))!.id = row.id;
}

function fullException(unit: MadeToOrderUnit, terms: MadeToOrderTerms): RoutingException {
  const { line } = unit.line;
  const tooBig = terms.maxBatchUnits !== null && unit.allocation.quantity > terms.maxBatchUnits;
  return {
    ok: false,
    code: tooBig ? 'made_to_order_batch_exceeded' : 'production_runs_full',
    reason: tooBig
      ? `Line ${line.line_no} (${line.shop_sku_code}): ${unit.allocation.quantity} unit(s) ordered, more than the supplier's largest production batch (${terms.maxBatchUnits}). Split the order, or ask your supplier.`
      : `Line ${line.line_no} (${line.shop_sku_code}): the supplier's next ${RUNS_AHEAD} production runs have no room for ${unit.allocation.quantity} more unit(s). Retry the order after the next cut-off, or ask your supplier.`,
    detail: { lineNo: line.line_no, quantity: unit.allocation.quantity, maxBatchUnits: terms.maxBatchUnits },
  };
}
