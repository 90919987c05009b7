import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows, trackingShapesForSql } from '@gongxiao/core';
import { UNSHIPPED_SQL } from './service-standard';

export const SCORECARD_SCOPES = ['supplier', 'warehouse', 'sku'] as const;
export type ScorecardScope = (typeof SCORECARD_SCOPES)[number];

/**
 * Whose figures, over which rows: the lines the viewer sells (it is the shop's distributor, or the
 * seller on one of the line's hops — the origin supplier is the seller of the last hop), routed in
 * [since, until), grouped by supplier, warehouse or SKU.
 */
export interface ScorecardWindow {
  viewerMerchantId: string;
  scope: ScorecardScope;
  since: Date;
  until: Date;
}

export interface ShippingFigures {
  key: string;
  orders: number;
  /** Fully shipped by their ship-by. */
  onTime: number;
  /** Orders whose standard has been put to the test: shipped, or past their ship-by (cancelled ones never). */
  due: number;
  avgHoursToShip: number | null;
  p90HoursToShip: number | null;
  overdueNow: number;
}

export interface UnitFigures {
  key: string;
  unitsOrdered: number;
  unitsCancelled: number;
  unitsShipped: number;
  linesShipped: number;
  shipments: number;
  validTracking: number;
  interceptions: number;
  intercepted: number;
}

/**
 * The window's lines as one SQL fragment (parameters: `mineParams`). Keys: SKU; for the lines the viewer
 * supplies, its own id or warehouse; for lines it sells on, the merchant it buys them from (warehouse
 * scope: `seller:<id>`), never the origin supplier or its warehouses further up.
 */
const MINE = `mine as (
  select l.id, l.fulfillment_order_id, l.quantity, l.shipped_quantity, l.cancelled_quantity,
         (case when ?::text = 'sku' then l.sku_id::text
               when f.supplier_merchant_id = ?::bigint then (case when ?::text = 'supplier' then f.supplier_merchant_id else f.warehouse_id end)::text
               -- A seller is never told who is further up the chain: its rows are keyed by the seller it buys from.
               else (case when ?::text = 'supplier' then '' else 'seller:' end)
                    || coalesce((select h.seller_merchant_id from fulfillment_line_hop h where h.fulfillment_order_line_id = l.id and h.buyer_merchant_id = ?::bigint order by h.hop_index limit 1), f.supplier_merchant_id)::text
          end) as key
    from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id
   where f.created_at >= ?::timestamptz and f.created_at < ?::timestamptz
     and (l.distributor_merchant_id = ?::bigint
          or exists (select 1 from fulfillment_line_hop h where h.fulfillment_order_line_id = l.id and h.seller_merchant_id = ?::bigint))
)`;
const mineParams = (window: ScorecardWindow) => [
  window.scope,
  window.viewerMerchantId,
  window.scope,
  window.scope,
  window.viewerMerchantId,
  window.since.toISOString(),
  window.until.toISOString(),
  window.viewerMerchantId,
  window.viewerMerchantId,
];

/** Orders routed, shipped on time, hours to the first parcel, overdue now: one statement. */
export async function shippingFigures(em: EntityManager, window: ScorecardWindow): Promise<ShippingFigures[]> {
  const rows = await sqlRows<{ key: string; orders: number; on_time: number; due: number; avg_hours: number | null; p90_hours: number | null; overdue_now: number }>(
    em,
    `with ${MINE},
     keyed as (
       -- Made-to-order parcels are timed from their run's confirmation (their release), not from routing.
       select distinct m.key, f.id, f.status, f.ship_by, case when f.production_run_id is null then f.created_at else f.released_at end as created_at, f.shipped_at
         from mine m join fulfillment_order f on f.id = m.fulfillment_order_id
     ), firsts as (
       select s.fulfillment_order_id, min(s.created_at) as first_at from shipment s
        where s.fulfillment_order_id in (select id from keyed) group by s.fulfillment_order_id
     )
     select k.key, count(*)::int as orders,
            count(*) filter (where k.shipped_at is not null and k.ship_by is not null and k.shipped_at <= k.ship_by)::int as on_time,
            count(*) filter (where k.status <> 'cancelled' and k.ship_by is not null and (k.shipped_at is not null or k.ship_by <= ?::timestamptz))::int as due,
            avg(extract(epoch from fs.first_at - k.created_at) / 3600)::float8 as avg_hours,
            (percentile_cont(0.9) within group (order by extract(epoch from fs.first_at - k.created_at) / 3600))::float8 as p90_hours,
            count(*) filter (where k.status in ${UNSHIPPED_SQL} and k.ship_by <= ?::timestamptz)::int as overdue_now
       from keyed k left join firsts fs on fs.fulfillment_order_id = k.id
      group by k.key`,
    [...mineParams(window), window.until.toISOString(), window.until.toISOString()],
  );
  return rows.map((row) => ({
    key: row.key,
    orders: row.orders,
    onTime: row.on_time,
    due: row.due,
    avgHoursToShip: row.avg_hours,
    p90HoursToShip: row.p90_hours,
    overdueNow: row.overdue_now,
  }));
}

/**
 * Units ordered, cancelled and shipped; parcels and how many carry a tracking number the carrier
 * dictionary accepts; interception requests and how many stopped the parcel: one statement.
 */
export async function unitFigures(em: EntityManager, window: ScorecardWindow): Promise<UnitFigures[]> {
  const shapes = trackingShapesForSql();
  const rows = await sqlRows<Record<string, string | number>>(
    em,
    `with ${MINE},
     units as (
       select key, sum(quantity)::int as ordered, sum(cancelled_quantity)::int as cancelled, sum(shipped_quantity)::int as shipped,
              count(*) filter (where shipped_quantity > 0)::int as lines_shipped
         from mine group by key
     ), parcels as (
       select distinct m.key, s.id, s.carrier_code, s.tracking_number
         from mine m join shipment_line sl on sl.fulfillment_order_line_id = m.id join shipment s on s.id = sl.shipment_id
     ), tracking as (
       select p.key, count(*)::int as shipments,
              count(*) filter (where exists (
                select 1 from unnest(?::text[], ?::text[]) as shape(code, pattern)
                 where (shape.code = p.carrier_code or (shape.code = '*' and p.carrier_code <> all(?::text[]))) and p.tracking_number ~ shape.pattern
              ))::int as valid
         from parcels p group by p.key
     ), stops as (
       select distinct m.key, i.id, i.status
         from mine m join interception_request_line il on il.fulfillment_order_line_id = m.id join interception_request i on i.id = il.interception_request_id
     ), interceptions as (
       -- Over answered requests: one still waiting for the warehouse is neither a success nor a failure yet.
       select key, count(*) filter (where status <> 'requested')::int as requested, count(*) filter (where status = 'intercepted')::int as intercepted from stops group by key
     )
     select u.key, u.ordered, u.cancelled, u.shipped, u.lines_shipped,
            coalesce(t.shipments, 0) as shipments, coalesce(t.valid, 0) as valid,
            coalesce(i.requested, 0) as requested, coalesce(i.intercepted, 0) as intercepted
       from units u left join tracking t on t.key = u.key left join interceptions i on i.key = u.key`,
    [...mineParams(window), shapes.codes, shapes.patterns, shapes.codes.filter((code) => code !== '*')],
  );
  return rows.map((row) => ({
    key: String(row.key),
    unitsOrdered: Number(row.ordered),
    unitsCancelled: Number(row.cancelled),
    unitsShipped: Number(row.shipped),
    linesShipped: Number(row.lines_shipped),
    shipments: Number(row.shipments),
    validTracking: Number(row.valid),
    interceptions: Number(row.requested),
    intercepted: Number(row.intercepted),
  }));
}

/**
 * The window's lines with their key and shipped units, for after-sales (returns) and quality
 * (reviews) to count theirs against in one statement each.
 */
export async function scorecardLines(em: EntityManager, window: ScorecardWindow): Promise<{ lineIds: string[]; keys: string[]; shipped: number[] }> {
  const rows = await sqlRows<{ id: string; key: string; shipped_quantity: number }>(em, `with ${MINE} select id::text, key, shipped_quantity from mine`, mineParams(window));
  return { lineIds: rows.map((row) => row.id), keys: rows.map((row) => row.key), shipped: rows.map((row) => row.shipped_quantity) };
}
