import { safeXlsxText } from '@gongxiao/core';
import { csvLine, csvText } from './csv';
import { EntryKind } from './ledger-entry.types';
import { StatementFileTotals as StatementTotals } from './statement-file-facts';
import { fenToDecimal, fenToYuanNumber } from './yuan';

export type ExportLanguage = 'zh' | 'en';
export type ExportFormat = 'xlsx' | 'csv';

/** One entry of a statement as its detail sheet shows it. */
export interface DetailEntry {
  id: string;
  occurred_at: Date | string;
  external_order_id: string | null;
  fulfillment_order_id: string | null;
  sku_code: string | null;
  quantity: number | null;
  unit_price_amount: string | null;
  kind: EntryKind;
  /** What the entry adds to what the payer owes, in minor units. */
  signed_amount: string;
}

export const KIND_LABELS: Record<ExportLanguage, Record<EntryKind, string>> = {
  zh: { goods: '货款', shipping: '运费', refund: '退款', adjustment: '调整', payment: '付款', top_up: '预存款' },
  en: { goods: 'Goods', shipping: 'Shipping', refund: 'Refund', adjustment: 'Adjustment', payment: 'Payment', top_up: 'Top-up' },
};

export const SHEET_NAMES: Record<ExportLanguage, { summary: string; detail: string }> = { zh: { summary: '汇总', detail: '明细' }, en: { summary: 'Summary', detail: 'Detail' } };

export const DETAIL_HEADERS: Record<ExportLanguage, string[]> = {
  zh: ['日期', '渠道订单号', '发货单号', '商品编码', '数量', '单价', '金额', '类型'],
  en: ['Date', 'Channel order no.', 'Fulfillment order no.', 'SKU code', 'Quantity', 'Unit price', 'Amount', 'Type'],
};

export const DETAIL_WIDTHS = [18, 24, 14, 20, 8, 14, 14, 10];
/** The detail columns holding codes someone typed (order, fulfillment order, SKU): Text format, so they stay text when edited. */
export const DETAIL_TEXT_COLUMNS = [1, 2, 3];

export const SUMMARY_LABELS: Record<ExportLanguage, Record<'payee' | 'payer' | 'currency' | 'period' | 'status' | keyof StatementTotals, string>> = {
  zh: {
    payee: '收款方',
    payer: '付款方',
    currency: '币种',
    period: '账期',
    status: '状态',
    opening: '期初余额',
    goods: '货款',
    shipping: '运费',
    refunds: '退款',
    adjustments: '调整',
    payments: '付款',
    closing: '期末余额',
  },
  en: {
    payee: 'Payee',
    payer: 'Payer',
    currency: 'Currency',
    period: 'Period',
    status: 'Status',
    opening: 'Opening balance',
    goods: 'Goods',
    shipping: 'Shipping',
    refunds: 'Refunds',
    adjustments: 'Adjustments',
    payments: 'Payments',
    closing: 'Closing balance',
  },
};

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', HKD: 'HK$', EUR: '€' };

/** The number format of an amount cell in yuan (or the currency's unit): "¥"#,##0.00 for CNY. */
export function currencyFormat(currency: string): string {
  return `"${SYMBOLS[currency] ?? `${currency} `}"#,##0.00`;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `at` in the time zone, `yyyy-mm-dd hh:mm`. */
export function localDateTime(at: Date | string, timeZone: string): string {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(timeZone, clock);
  }
  const parts = Object.fromEntries(clock.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The wall-clock time as a spreadsheet date (spreadsheets have no time zones: its UTC fields are the local time). */
export function localDateCell(at: Date | string, timeZone: string): Date {
  return new Date(`${localDateTime(at, timeZone).replace(' ', 'T')}:00Z`);
}

/** A detail row for the xlsx sheet: numbers as numbers in yuan, codes as text unchanged (their columns have the Text format, see `DETAIL_TEXT_COLUMNS`). */
export function detailCells(entry: DetailEntry, language: ExportLanguage, timeZone: string): unknown[] {
  return [
    localDateCell(entry.occurred_at, timeZone),
    safeXlsxText(entry.external_order_id),
    safeXlsxText(entry.fulfillment_order_id),
    safeXlsxText(entry.sku_code),
    entry.quantity,
    entry.unit_price_amount === null ? null : fenToYuanNumber(entry.unit_price_amount),
    fenToYuanNumber(entry.signed_amount),
    KIND_LABELS[language][entry.kind],
  ];
}

/** A detail row as a CSV line: amounts as decimal strings (1234.56). */
export function detailCsvLine(entry: DetailEntry, language: ExportLanguage, timeZone: string): string {
  return csvLine([
    localDateTime(entry.occurred_at, timeZone),
    csvText(entry.external_order_id),
    csvText(entry.fulfillment_order_id),
    csvText(entry.sku_code),
    entry.quantity === null ? '' : String(entry.quantity),
    entry.unit_price_amount === null ? '' : fenToDecimal(BigInt(entry.unit_price_amount)),
    fenToDecimal(BigInt(entry.signed_amount)),
    KIND_LABELS[language][entry.kind],
  ]);
}
