import { provinceOf, splitChineseAddress } from './china-address';
import { addressUnsplit, columnDisagrees, regionDisagrees, requiredCell, tooLong, tooManyLines } from './bulk-order-reasons';
import { ORDER_LEVEL_COLUMNS, OrderLevelColumn, ParsedRow } from './bulk-order-rows';
import { Localized } from './order-sheet-cells';

/** The most lines of one order, as a push allows. */
export const MAX_ORDER_LINES = 200;

/** An order as a push would send it (validated again with PushOrderDto before it is ingested). */
export interface OrderDraft {
  externalOrderId: string;
  currency: 'CNY';
  consignee: { name: string; phone: string; province: string; city: string; district: string; address: string };
  lines: { shopSkuCode: string; quantity: number; unitPrice: number }[];
  remarks?: string;
  placedAt?: string;
}

export type Assembly = { ok: true; draft: OrderDraft; pricesGiven: boolean[] } | { ok: false; orderProblems: Localized[] };

/**
 * One order from its rows (each row already read, with no problem of its own): the order-level
 * cells agree, the consignee is complete, the region is given or split from the address.
 */
export function assembleOrder(orderNo: string, rows: ParsedRow[]): Assembly {
  const problems: Localized[] = [];
  const cells = {} as Record<OrderLevelColumn, string>;
  for (const column of ORDER_LEVEL_COLUMNS) {
    const seen = new Map<string, number>();
    for (const row of rows) if (row.orderCells[column] !== '' && !seen.has(row.orderCells[column])) seen.set(row.orderCells[column], row.rowNumber);
    if (seen.size > 1)
      problems.push(
        columnDisagrees(
          column,
          orderNo,
          [...seen].map(([text, rowNumber]) => ({ rowNumber, text })),
        ),
      );
    cells[column] = [...seen.keys()][0] ?? '';
  }
  for (const column of ['consignee', 'phone', 'address'] as const) if (cells[column] === '') problems.push(requiredCell(column));
  if (rows.length > MAX_ORDER_LINES) problems.push(tooManyLines(orderNo, MAX_ORDER_LINES));
  if (problems.length > 0) return { ok: false, orderProblems: problems };
  const region = regionOf(cells);
  if ('problems' in region) return { ok: false, orderProblems: region.problems };
  const consignee = { name: cells.consignee, phone: cells.phone, ...region };
  for (const [column, value, max] of [
    ['consignee', consignee.name, 100],
    ['province', consignee.province, 40],
    ['city', consignee.city, 40],
    ['district', consignee.district, 40],
    ['address', consignee.address, 300],
    ['remarks', cells.remarks, 1000],
  ] as const) {
    if (value.length > max) problems.push(tooLong(column, max));
  }
  if (problems.length > 0) return { ok: false, orderProblems: problems };
  const lines = rows.map((row) => row.line!);
  return {
    ok: true,
    draft: {
      externalOrderId: orderNo,
      currency: 'CNY',
      consignee,
      lines: lines.map(({ shopSkuCode, quantity, unitPrice }) => ({ shopSkuCode, quantity, unitPrice })),
      ...(cells.remarks !== '' ? { remarks: cells.remarks } : {}),
      ...(cells.placedAt !== '' ? { placedAt: cells.placedAt } : {}),
    },
    pricesGiven: lines.map((line) => line.priceGiven),
  };
}

type Region = { province: string; city: string; district: string; address: string };

/**
 * Province, city and district as given, or split from the address when any is empty (the ones
 * given must then match the split). The province is written in full ("浙江" → "浙江省"); an address
 * that repeats the region given keeps only its street.
 */
export function regionOf(cells: Record<'province' | 'city' | 'district' | 'address', string>): Region | { problems: Localized[] } {
  const split = splitChineseAddress(cells.address);
  const province = cells.province === '' ? '' : (provinceOf(cells.province) ?? cells.province);
  if (province !== '' && cells.city !== '' && cells.district !== '') {
    const repeatsRegion = split && split.province === province && sameName(split.city, cells.city) && sameName(split.district, cells.district);
    return { province, city: cells.city, district: cells.district, address: repeatsRegion ? split.street : cells.address };
  }
  if (!split) return { problems: [addressUnsplit] };
  const problems: Localized[] = [];
  if (province !== '' && province !== split.province) problems.push(regionDisagrees('province', cells.province, split.province));
  if (cells.city !== '' && !sameName(cells.city, split.city)) problems.push(regionDisagrees('city', cells.city, split.city));
  if (cells.district !== '' && !sameName(cells.district, split.district)) problems.push(regionDisagrees('district', cells.district, split.district));
  if (problems.length > 0) return { problems };
  return { province: split.province, city: split.city, district: split.district, address: split.street };
}

/** "杭州" and "杭州市" name the same city; spaces do not count. */
export function sameName(a: string, b: string): boolean {
  const key = (text: string) => text.replace(/[\s\u3000]+/g, '').replace(/(市|区|县|旗|自治州|地区|盟)$/, '');
  return key(a) === key(b);
}
