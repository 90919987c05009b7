import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { CatalogService, SkuLabel, WarehouseFacts } from '@gongxiao/catalog';
import { externalOrderIdsById } from '@gongxiao/orders';
import { openContact, SheetContact, SheetLanguage, SheetLine, SheetParcel, sheetRows } from './fulfillment-sheet';

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
  for (const row of rows) {
    const parcels = byLine.get(row.line_id);
    if (parcels) parcels.push(row);
    else byLine.set(row.line_id, [row]);
  }
  return byLine;
}

/** What the rows of a batch of lines need besides the lines: read set-based, four statements at once. */
export interface SheetFacts {
  parcels: Map<string, SheetParcel[]>;
  warehouses: Map<string, WarehouseFacts>;
  skus: Map<string, SkuLabel>;
  externalIds: Map<string, string>;
  /** Each order's consignee contact, decrypted once per order (not once per line), as its first line is written. */
  contacts: Map<string, SheetContact>;
}

/** The parcels (this context's), warehouse codes and SKU labels (catalog's) and shop order numbers (orders') of a batch of lines. */
export async function sheetFactsOf(em: EntityManager, catalog: CatalogService, lines: SheetLine[]): Promise<SheetFacts> {
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
  return { parcels, warehouses, skus, externalIds, contacts: new Map() };
}

/** One line's sheet rows, from the facts of its batch. */
export function lineSheetRows(line: SheetLine, facts: SheetFacts, options: { language: SheetLanguage; timeZone: string }): Record<string, unknown>[] {
  return sheetRows(line, facts.parcels.get(line.line_id) ?? [], {
    ...options,
    contact: contactOf(facts.contacts, line),
    warehouse: facts.warehouses.get(line.warehouse_id),
    sku: facts.skus.get(line.sku_id),
    externalOrderId: facts.externalIds.get(String(line.channel_order_id)),
  });
}

/** The sheet rows of a batch of lines (`sheetFactsOf`, then `lineSheetRows` for each). */
export async function sheetRowsOf(em: EntityManager, catalog: CatalogService, lines: SheetLine[], options: { language: SheetLanguage; timeZone: string }): Promise<Record<string, unknown>[]> {
  if (lines.length === 0) return [];
  const facts = await sheetFactsOf(em, catalog, lines);
  return lines.flatMap((line) => lineSheetRows(line, facts, options));
}

function contactOf(contacts: Map<string, SheetContact>, line: SheetLine): SheetContact {
  let contact = contacts.get(line.fulfillment_order_id);
  if (!contact) {
    contact = openContact(line);
    contacts.set(line.fulfillment_order_id, contact);
  }
  return contact;
}
