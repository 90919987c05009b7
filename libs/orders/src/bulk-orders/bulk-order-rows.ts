import { SheetRow } from '@gongxiao/core';
import type { ResolvedListing } from '@gongxiao/channels';
import { BulkOrderColumn } from './bulk-orders.sheet';
import { aboutColumn, listingCurrency, listingPaused, noListing, requiredCell } from './bulk-order-reasons';
import { CellOutcome, Localized, orderNumberCell, phoneCell, placedAtCell, quantityCell, yuanCell } from './order-sheet-cells';

/** The columns every row of one order must agree on (empty cells on a row take the order's value). */
export const ORDER_LEVEL_COLUMNS = ['consignee', 'phone', 'province', 'city', 'district', 'address', 'remarks', 'placedAt'] as const;
export type OrderLevelColumn = (typeof ORDER_LEVEL_COLUMNS)[number];

/** One sheet row, read: its order number, its line, its order-level cells (normalized), and what is wrong with it. */
export interface ParsedRow {
  rowNumber: number;
  values: Record<BulkOrderColumn, string>;
  orderNo: string | null;
  line: { shopSkuCode: string; quantity: number; unitPrice: number; priceGiven: boolean } | null;
  /** Order-level cells as compared and used: phone numbers normalized, order times as ISO-8601; '' when empty. */
  orderCells: Record<OrderLevelColumn, string>;
  problems: Localized[];
}

/** What rows are checked against: the shop's listings by SKU code (one read for the whole sheet). */
export interface RowFacts {
  shopName: string;
  listings: Map<string, ResolvedListing>;
  /** The offset of the merchant's wall clock for order times without one. */
  utcOffset: string;
}

/** The listings' SKU codes and the order numbers a sheet names, to read them all at once. */
export function namedIn(rows: SheetRow<BulkOrderColumn>[]): { skuCodes: string[]; orderNos: string[] } {
  const skuCodes = new Set(rows.map((row) => row.values.skuCode).filter((code) => code !== ''));
  const orderNos = new Set(rows.map((row) => row.values.orderNo).filter((orderNo) => orderNo !== ''));
  return { skuCodes: [...skuCodes], orderNos: [...orderNos] };
}

/** Reads one row's cells; every problem of the row is collected, not only the first. */
export function parseRow(row: SheetRow<BulkOrderColumn>, facts: RowFacts): ParsedRow {
  const problems: Localized[] = [];
  const take = <T>(column: BulkOrderColumn, outcome: CellOutcome<T>): T | null => {
    if (outcome.ok) return outcome.value;
    problems.push(aboutColumn(column, outcome.reason));
    return null;
  };
  const { values } = row;
  const orderNo = values.orderNo === '' ? (problems.push(requiredCell('orderNo')), null) : take('orderNo', orderNumberCell(values.orderNo));
  const listing = listingOf(values.skuCode, facts, problems);
  const quantity = values.quantity === '' ? (problems.push(requiredCell('quantity')), null) : take('quantity', quantityCell(values.quantity));
  const price = values.unitPrice === '' ? null : take('unitPrice', yuanCell(values.unitPrice));
  const orderCells: Record<OrderLevelColumn, string> = {
    consignee: collapseSpaces(values.consignee),
    phone: values.phone === '' ? '' : (take('phone', phoneCell(values.phone)) ?? ''),
    province: collapseSpaces(values.province),
    city: collapseSpaces(values.city),
    district: collapseSpaces(values.district),
    address: collapseSpaces(values.address),
    remarks: values.remarks,
    placedAt: values.placedAt === '' ? '' : (take('placedAt', placedAtCell(values.placedAt, facts.utcOffset)) ?? ''),
  };
  const line =
    listing && quantity !== null && (price !== null || values.unitPrice === '')
      ? { shopSkuCode: listing.shopSkuCode, quantity, unitPrice: price ?? listing.retailPriceAmount, priceGiven: price !== null }
      : null;
  return { rowNumber: row.rowNumber, values, orderNo, line, orderCells, problems };
}

/**
 * The listing a row's SKU code names, as routing will find it: unknown, paused or priced in another
 * currency is a problem of the row now (a push would be accepted and held as an exception; a
 * sheet's user can fix the row and upload it again, which is kinder than an order stuck later).
 */
function listingOf(code: string, facts: RowFacts, problems: Localized[]): ResolvedListing | null {
  if (code === '') return (problems.push(requiredCell('skuCode')), null);
  const listing = facts.listings.get(code);
  const problem = !listing
    ? noListing(code, facts.shopName)
    : listing.status !== 'active'
      ? listingPaused(code, facts.shopName)
      : listing.currency !== 'CNY'
        ? listingCurrency(code, listing.currency)
        : null;
  if (problem) return (problems.push(problem), null);
  return listing!;
}

function collapseSpaces(text: string): string {
  return text.replace(/[\s\u3000]+/g, ' ').trim();
}

/** Rows by order number, in the order each order first appears; rows without a usable order number alone. */
export function groupByOrder(rows: ParsedRow[]): { orders: { orderNo: string; rows: ParsedRow[] }[]; orphans: ParsedRow[] } {
  const orders = new Map<string, ParsedRow[]>();
  const orphans: ParsedRow[] = [];
  for (const row of rows) {
    if (row.orderNo === null) orphans.push(row);
    else if (orders.has(row.orderNo)) orders.get(row.orderNo)!.push(row);
    else orders.set(row.orderNo, [row]);
  }
  return { orders: [...orders].map(([orderNo, orderRows]) => ({ orderNo, rows: orderRows })), orphans };
}
