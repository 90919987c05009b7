import { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { rememberNumberFormatStyles, sheetDrained, sqlOne, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { FulfillmentStatus } from '../fulfillment.dto';
import { SheetLanguage, SheetLine, sheetColumns, sheetName } from '../fulfillment-sheet';
import { lineSheetRows, SheetFacts, sheetFactsOf } from '../sheet-facts';

/** Lines read per page (keyset on the line id); the next page is read while this one is written. */
const PAGE = 2000;

/** Which of the supplier's fulfillment order lines an order sheet holds (the filters of the export). */
export interface OrderSheetFilters {
  status: FulfillmentStatus;
  warehouseId: string | null;
  createdFrom: string | null;
  createdTo: string | null;
}

export interface OrderSheetSource {
  supplierMerchantId: string;
  filters: OrderSheetFilters;
  language: SheetLanguage;
  /** The supplier's time zone: times are on its wall clock. */
  timeZone: string;
  /** Called after each page with the lines and rows written so far. */
  progress?: (linesWritten: number, rowsWritten: number) => Promise<void>;
}

const WHERE = `o.supplier_merchant_id = ? and o.status = ?
  and (?::bigint is null or o.warehouse_id = ?::bigint)
  and (?::timestamptz is null or o.created_at >= ?::timestamptz) and (?::timestamptz is null or o.created_at < ?::timestamptz)`;

function whereParams(supplierMerchantId: string, filters: OrderSheetFilters): unknown[] {
  return [supplierMerchantId, filters.status, filters.warehouseId, filters.warehouseId, filters.createdFrom, filters.createdFrom, filters.createdTo, filters.createdTo];
}

/** How many lines the sheet holds, counted up to `upTo` (a bigger sheet answers upTo + 1: enough to refuse it). */
export async function countOrderSheetLines(em: EntityManager, supplierMerchantId: string, filters: OrderSheetFilters, upTo?: number): Promise<number> {
  const limit = upTo === undefined ? null : upTo + 1;
  const row = await sqlOne<{ count: number }>(
    em,
    `select count(*)::int as count from (select 1 from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id where ${WHERE} limit ?) lines`,
    [...whereParams(supplierMerchantId, filters), limit],
  );
  return row!.count;
}

/** The next PAGE lines after line id `after`, of this context's own tables only. */
function page(em: EntityManager, source: OrderSheetSource, after: string): Promise<SheetLine[]> {
  const { sql, params } = orderSheetPageQuery(source.supplierMerchantId, source.filters, after);
  return sqlRows<SheetLine>(em, sql, params);
}

/**
 * The statement of one page of an order sheet, with its parameters: its own function so that the
 * query-plan spec explains exactly it (a date window reads the supplier's orders of those days by
 * `fulfillment_order_supplier_created_idx`, never every line of the table in id order).
 */
export function orderSheetPageQuery(supplierMerchantId: string, filters: OrderSheetFilters, after: string): { sql: string; params: unknown[] } {
  return {
    sql: `select l.id::text as line_id, o.id::text as fulfillment_order_id, l.channel_order_id::text, o.status, o.warehouse_id::text,
            o.consignee_name, o.consignee_phone, o.province, o.city, o.district, o.address, o.remarks, l.sku_id::text, l.quantity, l.cancelled_quantity,
            l.supply_price_amount, l.currency, l.customization_label, o.created_at, o.shipped_at
       from fulfillment_order_line l
       join fulfillment_order o on o.id = l.fulfillment_order_id
      where ${WHERE} and l.id > ?
      order by l.id limit ?`,
    params: [...whereParams(supplierMerchantId, filters), after, PAGE],
  };
}

interface Page {
  lines: (SheetLine | undefined)[];
  last: string | null;
  facts: SheetFacts;
}

async function pageWithFacts(em: EntityManager, catalog: CatalogService, source: OrderSheetSource, after: string): Promise<Page> {
  const lines = await page(em, source, after);
  return { lines, last: lines.length === PAGE ? lines[lines.length - 1].line_id : null, facts: await sheetFactsOf(em, catalog, lines) };
}

/**
 * The supplier's order sheet (发货单) as an .xlsx into `output`: one row per line until it ships,
 * then one row per parcel of that line. exceljs' streaming writer, keyset pages of lines with each
 * page's parcels, warehouse codes, SKU labels and shop order numbers read set-based; the next page
 * is read while this one is written, and each page waits for the zip to take it (memory stays flat
 * however many rows, and however slowly the reader reads). Chinese headers unless `language=en`;
 * times on the supplier's wall clock; text cells safe against formula injection; money in yuan with
 * the exact fen beside it. Answers the lines and rows written.
 */
export async function writeOrderSheet(em: EntityManager, catalog: CatalogService, source: OrderSheetSource, output: Writable): Promise<{ lines: number; rows: number }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  rememberNumberFormatStyles(workbook);
  const sheet = workbook.addWorksheet(sheetName(source.language), { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = sheetColumns(source.language);
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const keys = columns.map((column) => column.key as string);

  let lines = 0;
  let rows = 0;
  const progress = progressReporter(source.progress);
  // The reader went away (the client hung up, the file could not be written): stop, instead of waiting for a zip nobody reads.
  const gone = new Promise<void>((resolve) => output.once('close', resolve).once('error', () => resolve()));
  const options = { language: source.language, timeZone: source.timeZone };
  let next: Promise<Page> | null = pageWithFacts(em, catalog, source, '0');
  while (next) {
    const current: Page = await next;
    next = current.last === null ? null : pageWithFacts(em, catalog, source, current.last);
    // Should writing fail, the page being read must not become an unhandled rejection.
    void next?.catch(() => undefined);
    // Each line's rows are made as it is written and let go at once, the line too: a page's rows die young
    // instead of being promoted to the old generation (most of the memory such an export took).
    for (let index = 0; index < current.lines.length; index++) {
      // Rows as arrays in column order: the same cells as by key, without exceljs looking up every key per row.
      for (const row of lineSheetRows(current.lines[index]!, current.facts, options)) {
        sheet.addRow(keys.map((key) => row[key])).commit();
        rows++;
      }
      current.lines[index] = undefined;
    }
    lines += current.lines.length;
    progress.report(lines, rows);
    await Promise.race([sheetDrained(sheet), gone]);
    if (output.destroyed || output.writableFinished) throw new Error(`The output of the order sheet closed after ${lines} lines, before the sheet was written.`);
  }
  sheet.commit();
  const closedEarly = gone.then(() => {
    throw new Error('The output of the order sheet closed before the sheet was written.');
  });
  // It also closes after a whole sheet (then the commit has won the race): that rejection is nobody's.
  void closedEarly.catch(() => undefined);
  await Promise.race([workbook.commit(), closedEarly]);
  await progress.settled();
  return { lines, rows };
}

/**
 * Progress saved beside the writing, never in its way: one report in flight at a time (a page done
 * meanwhile is reported with the next), the last one awaited at the end; a failure is thrown by the
 * next report (the sheet stops at the next page: a run taken over writes no more) or at the end.
 */
function progressReporter(save: OrderSheetSource['progress']) {
  let inFlight: Promise<void> | null = null;
  let failure: unknown = null;
  let latest: [number, number] | null = null;
  const send = () => {
    const [lines, rows] = latest!;
    latest = null;
    inFlight = save!(lines, rows).then(
      () => {
        inFlight = null;
        if (latest) send();
      },
      (error: unknown) => {
        failure = error;
        inFlight = null;
      },
    );
  };
  return {
    report(lines: number, rows: number): void {
      if (failure) throw failure;
      if (!save) return;
      latest = [lines, rows];
      if (!inFlight) send();
    },
    async settled(): Promise<void> {
      while (inFlight) await inFlight;
      if (failure) throw failure;
    },
  };
}
