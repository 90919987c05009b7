import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { externalOrderIdsById } from '@gongxiao/orders';
import { SheetLanguage, SheetLine, SheetParcel, sheetRows } from './fulfillment-sheet';

/** Each line's share of each parcel, in the order the parcels were recorded: one query per batch of lines. */
export async function parcelsByLine(em: EntityManager, lineIds: string[]): Promise<Map<string, SheetParcel[]>> {
  const byLine = new Map<string, SheetParcel[]>();
  if (lineIds.length === 0) return byLine;
  const rows = await sqlRows<SheetParcel>(
    em,
    `select sl.fulfillment_order_line_id::text as line_id, sl.quantity, sh.carrier_code, sh.tracking_number, sh.created_at
       from shipment_line sl join shipment sh on sh.id = sl.shipment_id
      where sl.fulfillment_order_line_id = any(?::bigint[])
      order by sh.id`,
    [lineIds],
  );
  for (const row of rows) byLine.set(row.line_id, [...(byLine.get(row.line_id) ?? []), row]);
  return byLine;
}

/**
 * The sheet rows of a batch of lines: their parcels (this context's), warehouse codes and SKU
 * labels (catalog's) and shop order numbers (orders') read set-based, four statements at once.
 */
export async function sheetRowsOf(em: EntityManager, catalog: CatalogService, lines: SheetLine[], options: { language: SheetLanguage; timeZone: string }): Promise<Record<string, unknown>[]> {
  if (lines.length === 0) return [];
  const [parcels, warehouses, skus, externalIds] = await Promise.all([
    parcelsByLine(
      em,
      lines.map((line) => line.line_id),
    ),
    catalog.warehousesById(lines.map((line) => line.warehouse_id)),
    catalog.skuLabelsById(lines.map((line) => line.sku_id)),
    externalOrderIdsById(
      em,
      lines.map((line) => line.channel_order_id),
    ),
  ]);
  return lines.flatMap((line) =>
    sheetRows(line, parcels.get(line.line_id) ?? [], {
      ...options,
      warehouse: warehouses.get(line.warehouse_id),
      sku: skus.get(line.sku_id),
      externalOrderId: externalIds.get(String(line.channel_order_id)),
    }),
  );
}
