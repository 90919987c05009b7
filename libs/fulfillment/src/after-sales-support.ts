import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';

/**
 * What after-sales needs of fulfillment's tables, as batch-shaped functions (ids in, one statement
 * each): shipped lines with when their return window starts, the price of every hop, the units an
 * interception request is about, and the claim on shipped units that return cases hold
 * (`returned_quantity`, never above what shipped: a check constraint keeps it so).
 */

/** A shipped fulfillment line of a shop order, with what is left to return of it. */
export interface ShippedLine {
  id: string;
  fulfillment_order_id: string;
  channel_order_line_id: string;
  supplier_merchant_id: string;
  warehouse_id: string;
  sku_id: string;
  shipped_quantity: number;
  returned_quantity: number;
  return_window_days: number | null;
  window_starts_at: Date | null;
}

/** One hop of a line's chain: what its buyer pays its seller per unit (and per parcel). Hop 0 is the distributor's. */
export interface LineHopPrice {
  fulfillment_order_line_id: string;
  hop_index: number;
  /** The offer this hop bought under (the top hop's is the origin supplier's). */
  offer_id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  unit_price_amount: string;
  shipping_fee_amount: string;
  currency: string;
  /** Trial sale: the line's first `trial_units` units cost `trial_unit_price_amount` at this hop (units ship trial first). */
  trial_units: number;
  trial_unit_price_amount: string;
}

/**
 * What a hop's buyer paid for `units` returned units of a line, never more than it paid for any of
 * them: returned units count against the line's trial units first (a straddling line's return is
 * refunded at the trial price first). Without trial units: the unit price × units.
 */
export function hopPaidForUnits(hop: Pick<LineHopPrice, 'unit_price_amount' | 'trial_units' | 'trial_unit_price_amount'>, units: number): bigint {
  const trial = Math.min(units, hop.trial_units ?? 0);
  return BigInt(trial) * BigInt(hop.trial_unit_price_amount ?? '0') + BigInt(units - trial) * BigInt(hop.unit_price_amount);
}

/** Where a fulfillment line ships from and what it is (for return cases' lines and restocking). */
export interface FulfillmentLineFacts {
  id: string;
  fulfillment_order_id: string;
  channel_order_line_id: string;
  warehouse_id: string;
  sku_id: string;
}

export interface UnitsOfLine {
  lineId: string;
  quantity: number;
}

/**
 * The shop order's shipped fulfillment lines with the start of each one's return window (delivery,
 * else shipment). `lock`: for update, taken after the order chain (`OrderLocks.lockOrderChain`).
 */
export async function shippedLinesOfOrder(em: EntityManager, channelOrderId: string, options: { lock?: boolean } = {}): Promise<ShippedLine[]> {
  return sqlRows<ShippedLine>(
    em,
    `select l.id::text, l.fulfillment_order_id::text, l.channel_order_line_id::text, o.supplier_merchant_id::text, o.warehouse_id::text, l.sku_id::text,
            l.shipped_quantity, l.returned_quantity, l.return_window_days,
            (select max(coalesce(s.delivered_at, s.created_at)) from shipment_line sl join shipment s on s.id = sl.shipment_id where sl.fulfillment_order_line_id = l.id) as window_starts_at
       from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id
      where l.channel_order_id = ? and l.shipped_quantity > 0
      order by l.id${options.lock ? ' for update of l' : ''}`,
    [channelOrderId],
  );
}

/** Every hop price of these lines, by line then hop (an optional merchant: only its own hops). */
export async function hopPricesOfLines(em: EntityManager, lineIds: string[], onlyMerchantId?: string): Promise<LineHopPrice[]> {
  if (lineIds.length === 0) return [];
  return sqlRows<LineHopPrice>(
    em,
    `select fulfillment_order_line_id::text, hop_index, offer_id::text, seller_merchant_id::text, buyer_merchant_id::text, unit_price_amount::text, shipping_fee_amount::text, currency,
            trial_units, trial_unit_price_amount::text
       from fulfillment_line_hop
      where fulfillment_order_line_id = any(?::bigint[]) and (?::bigint is null or ?::bigint in (seller_merchant_id, buyer_merchant_id))
      order by fulfillment_order_line_id, hop_index`,
    [[...new Set(lineIds)], onlyMerchantId ?? null, onlyMerchantId ?? null],
  );
}

export async function fulfillmentLinesByIds(em: EntityManager, lineIds: string[]): Promise<Map<string, FulfillmentLineFacts>> {
  if (lineIds.length === 0) return new Map();
  const rows = await sqlRows<FulfillmentLineFacts>(
    em,
    `select l.id::text, l.fulfillment_order_id::text, l.channel_order_line_id::text, o.warehouse_id::text, l.sku_id::text
       from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id where l.id = any(?::bigint[])`,
    [[...new Set(lineIds)]],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** The shipped units an interception request is about, per fulfillment line (none: the whole parcel). */
export async function interceptionLines(em: EntityManager, interceptionRequestId: string): Promise<UnitsOfLine[]> {
  const rows = await sqlRows<{ line_id: string; quantity: number }>(
    em,
    `select fulfillment_order_line_id::text as line_id, quantity from interception_request_line where interception_request_id = ?`,
    [interceptionRequestId],
  );
  return rows.map((row) => ({ lineId: row.line_id, quantity: row.quantity }));
}

/**
 * Return cases claim shipped units; the database refuses a claim beyond what shipped (check
 * constraint `fulfillment_order_line_returned_check`), callers check first on locked lines.
 */
export async function claimReturnedUnits(em: EntityManager, units: UnitsOfLine[]): Promise<void> {
  await changeReturnedUnits(em, units, 1);
}

/** A case that ends without the goods coming back gives its units back: they may be asked for again. */
export async function releaseReturnedUnits(em: EntityManager, units: UnitsOfLine[]): Promise<void> {
  await changeReturnedUnits(em, units, -1);
}

async function changeReturnedUnits(em: EntityManager, units: UnitsOfLine[], sign: 1 | -1): Promise<void> {
  if (units.length === 0) return;
  await sqlExec(
    em,
    `update fulfillment_order_line l set returned_quantity = l.returned_quantity + ? * r.quantity
       from (select id, sum(quantity)::int as quantity from unnest(?::bigint[], ?::int[]) as u(id, quantity) group by id) r
      where l.id = r.id`,
    [sign, units.map((unit) => unit.lineId), units.map((unit) => unit.quantity)],
  );
}

/** Units the supplier shipped per SKU (every fulfillment order of its own), for its return rates. */
export async function shippedUnitsPerSku(em: EntityManager, supplierMerchantId: string): Promise<{ skuId: string; shipped: number }[]> {
  const rows = await sqlRows<{ sku_id: string; shipped: number }>(
    em,
    `select l.sku_id::text, sum(l.shipped_quantity)::int as shipped
       from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id
      where o.supplier_merchant_id = ? and l.shipped_quantity > 0
      group by l.sku_id`,
    [supplierMerchantId],
  );
  return rows.map((row) => ({ skuId: row.sku_id, shipped: row.shipped }));
}
