import { EntityManager } from '@mikro-orm/postgresql';
import { outboxInsertSql, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import type { WarehouseFacts } from '@gongxiao/catalog';
import { assignMerges, FulfillmentOrderPart, isMerging, linesOfParts, mergeKeyOf, mergeLockOrder, PartLine, partsOf } from './fulfillment-order-parts';
import { customizationExtraOf, PlannedOrder } from './routing.types';
import { hopTrialOf } from './trial-units';

/** One common table expression of the batch's statement and the parameters it binds, in order. */
interface StatementPart {
  sql: string;
  params: unknown[];
}

/** Where each part's lines go: the open fulfillment order it joins, or the new one of its opener. */
type TargetOf = (part: FulfillmentOrderPart) => string;

/**
 * One fulfillment order per order and warehouse, with every hop's price frozen now, for the whole
 * batch: the fulfillment orders, their lines, the hop prices and the merge-window events are one
 * statement (each concern one common table expression of it). A warehouse with a merge window adds
 * the lines to the consignee's open fulfillment order there (or opens one that later orders of the
 * batch join). Returns the new fulfillment orders that go to ERP warehouses at once (no merge window).
 */
export async function writeFulfillmentOrders(em: EntityManager, planned: PlannedOrder[], warehouses: WarehouseFacts[]): Promise<string[]> {
  const parts = partsOf(planned, warehouses);
  const openByMergeKey = await lockOpenMergeWindows(em, mergeLockOrder(parts));
  const { opening, openerOf } = assignMerges(parts, openByMergeKey);
  // New fulfillment orders get their ids first, so that lines of several orders can join one.
  const ids = await takeFulfillmentOrderIds(em, opening.length);
  const newIdOf = new Map(opening.map((part, index) => [part, ids[index]]));
  const targetOf: TargetOf = (part) => openByMergeKey.get(mergeKeyOf(part)) ?? newIdOf.get(openerOf.get(part)!)!;

  const lines = linesOfParts(parts);
  const statement = [fulfillmentOrdersInsert(opening, newIdOf), linesInsert(lines, targetOf), hopPricesInsert(lines, targetOf), mergeWindowEventsInsert()];
  const written = await sqlOne<{ lines: string }>(
    em,
    `with ${statement.map((part) => part.sql).join(', ')}
     select count(*)::text as lines from lines`,
    statement.flatMap((part) => part.params),
  );
  if (Number(written?.lines) !== lines.length) throw new Error(`Fulfillment order lines were not all written (${written?.lines} of ${lines.length})`);
  return opening.filter((part) => !isMerging(part) && !part.productionRunId && part.warehouse.receiveMode === 'erp_webhook').map((part) => newIdOf.get(part)!);
}

/**
 * Two orders for the same consignee routed at once must not both open a merge window: each merging
 * warehouse × consignee is locked first, in the order `mergeLockOrder` gives, so such orders cannot
 * deadlock. Returns the fulfillment orders open for merging, by merge key.
 */
async function lockOpenMergeWindows(em: EntityManager, merging: FulfillmentOrderPart[]): Promise<Map<string, string>> {
  const openByMergeKey = new Map<string, string>();
  if (merging.length === 0) return openByMergeKey;
  const warehouseIds = merging.map((part) => part.warehouse.id);
  const consigneeKeys = merging.map((part) => part.consigneeKey);
  await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended(w::text || ':' || k, 0)) from unnest(?::bigint[], ?::text[]) with ordinality as t(w, k, n) order by n`, [
    warehouseIds,
    consigneeKeys,
  ]);
  const open = await sqlRows<{ id: string; warehouse_id: string; consignee_key: string }>(
    em,
    `select id::text, warehouse_id::text, consignee_key from fulfillment_order
      where (warehouse_id, consignee_key) in (select * from unnest(?::bigint[], ?::text[])) and status = 'pending_merge' and release_at > now()
      order by fulfillment_order.id for update`,
    [warehouseIds, consigneeKeys],
  );
  for (const row of open) {
    const key = `${row.warehouse_id}:${row.consignee_key}`;
    if (!openByMergeKey.has(key)) openByMergeKey.set(key, row.id);
  }
  return openByMergeKey;
}

async function takeFulfillmentOrderIds(em: EntityManager, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await sqlRows<{ id: string }>(em, `select nextval(pg_get_serial_sequence('fulfillment_order', 'id'))::text as id from generate_series(1, ?::int)`, [count]);
  return rows.map((row) => row.id);
}

/**
 * The new fulfillment orders: `new` at once, `pending_merge` until the warehouse's merge window
 * closes, or `awaiting_production` (made to order: no ship-by, not released) until its run is confirmed.
 */
function fulfillmentOrdersInsert(opening: FulfillmentOrderPart[], newIdOf: Map<FulfillmentOrderPart, string>): StatementPart {
  return {
    sql: `fo as (
       insert into fulfillment_order (id, supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address,
                                      consignee_key, remarks, release_at, released_at, ship_by, production_run_id)
       select f.id, f.supplier, f.warehouse, case when f.run_id is not null then 'awaiting_production' when f.merge_minutes > 0 then 'pending_merge' else 'new' end,
              f.name, f.phone, f.province, f.city, f.district, f.address, f.consignee_key, f.remarks,
              case when f.merge_minutes > 0 then now() + make_interval(mins => f.merge_minutes) end,
              case when f.merge_minutes > 0 or f.run_id is not null then null else now() end,
              case when f.run_id is null then now() + make_interval(hours => f.ship_hours) end, f.run_id
         from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::bigint[])
           as f(id, supplier, warehouse, name, phone, province, city, district, address, consignee_key, remarks, merge_minutes, ship_hours, run_id)
       returning id, supplier_merchant_id, status, release_at
     )`,
    params: [
      opening.map((part) => newIdOf.get(part)),
      opening.map((part) => part.supplierId),
      opening.map((part) => part.warehouse.id),
      opening.map((part) => part.order.consignee_name),
      opening.map((part) => part.order.consignee_phone),
      opening.map((part) => part.order.province),
      opening.map((part) => part.order.city),
      opening.map((part) => part.order.district),
      opening.map((part) => part.order.address),
      opening.map((part) => part.consigneeKey),
      opening.map((part) => part.order.remarks),
      opening.map((part) => (isMerging(part) ? part.warehouse.mergeWindowMinutes : 0)),
      opening.map(shipWithinHoursOf),
      opening.map((part) => part.productionRunId ?? null),
    ],
  };
}

/**
 * The ship-by standard of a new fulfillment order: the origin offer's (the supplier's) hours, the
 * strictest of its lines'. Lines that later join it in a merge window keep the ship-by it opened with.
 */
function shipWithinHoursOf(part: FulfillmentOrderPart): number {
  const hours = part.allocations.flatMap((allocation) => {
    const hops = part.lineById.get(allocation.lineId)?.hops ?? [];
    return hops.length ? [hops[hops.length - 1].shipWithinHours] : [];
  });
  return hours.length ? Math.min(...hours) : 48;
}

/** The lines, each with the origin supplier's price and the return window the consumer gets. */
function linesInsert(lines: PartLine[], targetOf: TargetOf): StatementPart {
  return {
    sql: `lines as (
       insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, supply_price_amount, currency, return_window_days,
                                           customization, customization_key, customization_label, customization_extra_amount)
       select r.fo_id, r.order_id, r.line_id, r.distributor, r.sku_id, r.quantity, r.price, r.currency, r.window_days, r.customization::jsonb, r.customization_key, r.customization_label, r.extra
         from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::bigint[])
           as r(fo_id, order_id, line_id, distributor, sku_id, quantity, price, currency, window_days, customization, customization_key, customization_label, extra)
       returning id, fulfillment_order_id, channel_order_line_id
     )`,
    params: [
      lines.map((row) => targetOf(row.part)),
      lines.map((row) => row.part.order.id),
      lines.map((row) => row.allocation.lineId),
      lines.map((row) => row.part.order.merchant_id),
      lines.map((row) => row.allocation.skuId),
      lines.map((row) => row.allocation.quantity),
      lines.map((row) => (row.resolved.hops.length ? row.resolved.hops[row.resolved.hops.length - 1].priceAmount + customizationExtraOf(row.resolved) : null)),
      lines.map((row) => row.part.order.currency),
      // The no-reason return window the consumer gets: the shortest any seller along the chain grants.
      lines.map((row) => (row.resolved.hops.length ? Math.min(...row.resolved.hops.map((hop) => hop.returnWindowDays)) : null)),
      // Light customization, normalized at resolve: what the supplier makes, what runs group by, what its sheet shows.
      lines.map((row) => JSON.stringify(row.resolved.customization?.values ?? {})),
      lines.map((row) => row.resolved.customization?.key ?? ''),
      lines.map((row) => row.resolved.customization?.label ?? ''),
      lines.map((row) => customizationExtraOf(row.resolved)),
    ],
  };
}

/** Every hop's price, shipping fee and trial units (at the trial price) of every line, frozen at routing time; both prices include the line's customization extra. */
function hopPricesInsert(lines: PartLine[], targetOf: TargetOf): StatementPart {
  const hops = lines.flatMap((row) => row.resolved.hops.map((hop, index) => ({ ...row, hop, index, trial: hopTrialOf(row.part.trials, row.allocation, index) })));
  return {
    sql: `hops as (
       insert into fulfillment_line_hop (fulfillment_order_line_id, hop_index, offer_id, seller_merchant_id, buyer_merchant_id, unit_price_amount, shipping_fee_amount, currency,
                                         trial_units, trial_unit_price_amount)
       select lines.id, h.hop_index, h.offer_id, h.seller, h.buyer, h.price, h.shipping_fee, h.currency, h.trial_units, h.trial_price
         from lines join unnest(?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::int[], ?::bigint[])
           as h(fo_id, line_id, hop_index, offer_id, seller, buyer, price, shipping_fee, currency, trial_units, trial_price)
           on h.fo_id = lines.fulfillment_order_id and h.line_id = lines.channel_order_line_id
     )`,
    params: [
      hops.map((row) => targetOf(row.part)),
      hops.map((row) => row.allocation.lineId),
      hops.map((row) => row.index),
      hops.map((row) => row.hop.offerId),
      hops.map((row) => row.hop.sellerMerchantId),
      hops.map((row) => row.hop.buyerMerchantId),
      hops.map((row) => row.hop.priceAmount + customizationExtraOf(row.resolved)),
      hops.map((row) => row.hop.shippingFeeAmount),
      hops.map((row) => row.hop.currency),
      hops.map((row) => row.trial?.units ?? 0),
      hops.map((row) => (row.trial ? row.trial.priceAmount + customizationExtraOf(row.resolved) : 0)),
    ],
  };
}

/** The outbox events of new merge windows (their release job), through core's fragment. */
function mergeWindowEventsInsert(): StatementPart {
  return {
    sql: `events as (
       ${outboxInsertSql(`select 'fulfillment_order.merge_window_opened', fo.supplier_merchant_id, fo.id::text,
              jsonb_build_object('fulfillmentOrderId', fo.id::text, 'releaseAt', to_jsonb(fo.release_at))
         from fo where fo.status = 'pending_merge'`)}
     )`,
    params: [],
  };
}
