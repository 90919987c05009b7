import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { rememberNumberFormatStyles, sheetDrained, TEXT_FORMAT, writeTextCell } from '@gongxiao/core';
import { StatementFacts, StatementFileTotals } from './statement-file-facts';
import { currencyFormat, DETAIL_HEADERS, DETAIL_TEXT_COLUMNS, DETAIL_WIDTHS, DetailEntry, detailCells, detailCsvLine, ExportLanguage, SHEET_NAMES, SUMMARY_LABELS } from './statement-export-sheets';
import { CSV_BOM, csvLine } from './csv';
import { fenToYuanNumber } from './yuan';

/** What a statement file is written from: its facts, totals and the entries page by page. */
export interface StatementFileSource {
  statement: StatementFacts;
  payeeName: string;
  payerName: string;
  totals: StatementFileTotals;
  language: ExportLanguage;
  /** The payee's time zone: entry dates are shown in it. */
  timeZone: string;
  /** The entries after entry id `after`, a page at a time (empty when done). */
  page(after: string): Promise<DetailEntry[]>;
  /** Called after each page with the number of entries written so far. */
  progress(rowsWritten: number): Promise<void>;
}

/**
 * The statement as .xlsx, with exceljs' streaming writer (rows are committed as they are written,
 * and each page waits for the zip to take what came before, so memory stays flat for a million
 * entries): a summary sheet and a detail sheet.
 */
export async function writeStatementXlsx(path: string, source: StatementFileSource): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  rememberNumberFormatStyles(workbook);
  writeSummary(workbook, source);
  const money = currencyFormat(source.statement.currency);
  const detail = workbook.addWorksheet(SHEET_NAMES[source.language].detail, { views: [{ state: 'frozen', ySplit: 1 }] });
  detail.columns = DETAIL_HEADERS[source.language].map((header, index) => ({
    header,
    width: DETAIL_WIDTHS[index],
    style: index === 0 ? { numFmt: 'yyyy-mm-dd hh:mm' } : index === 5 || index === 6 ? { numFmt: money } : DETAIL_TEXT_COLUMNS.includes(index) ? { numFmt: TEXT_FORMAT } : {},
  }));
  detail.getRow(1).font = { bold: true };
  detail.getRow(1).commit();
  const written = await eachPage(source, async (entries) => {
    for (const entry of entries) detail.addRow(detailCells(entry, source.language, source.timeZone)).commit();
    await sheetDrained(detail);
  });
  detail.commit();
  await workbook.commit();
  return written;
}

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, source: StatementFileSource): void {
  const labels = SUMMARY_LABELS[source.language];
  const sheet = workbook.addWorksheet(SHEET_NAMES[source.language].summary);
  sheet.columns = [{ width: 18 }, { width: 28 }];
  const text: [string, string][] = [
    [labels.payee, source.payeeName],
    [labels.payer, source.payerName],
    [labels.currency, source.statement.currency],
    [labels.period, source.statement.period.slice(0, 7)],
    [labels.status, source.statement.status],
  ];
  for (const [label, value] of text) {
    const row = sheet.addRow([label]);
    writeTextCell(row.getCell(2), value);
    row.commit();
  }
  const money = currencyFormat(source.statement.currency);
  for (const key of ['opening', 'goods', 'shipping', 'refunds', 'adjustments', 'payments', 'closing'] as const) {
    const row = sheet.addRow([labels[key], fenToYuanNumber(source.totals[key])]);
    row.getCell(2).numFmt = money;
    if (key === 'opening' || key === 'closing') row.font = { bold: true };
    row.commit();
  }
  sheet.commit();
}

/** The detail as CSV (UTF-8 with a BOM, CRLF lines, RFC 4180 quoting), written with backpressure. */
export async function writeStatementCsv(path: string, source: StatementFileSource): Promise<number> {
  const output = createWriteStream(path);
  const write = async (chunk: string) => {
    if (!output.write(chunk)) await once(output, 'drain');
  };
  try {
    await write(CSV_BOM + csvLine(DETAIL_HEADERS[source.language]));
    const written = await eachPage(source, async (entries) => write(entries.map((entry) => detailCsvLine(entry, source.language, source.timeZone)).join('')));
    output.end();
    await finished(output);
    return written;
  } catch (error) {
    output.destroy();
    throw error;
  }
}

async function eachPage(source: StatementFileSource, write: (entries: DetailEntry[]) => unknown): Promise<number> {
  let after = '0';
  let written = 0;
  for (;;) {
    const entries = await source.page(after);
    if (entries.length === 0) return written;
    await write(entries);
    written += entries.length;
    after = entries[entries.length - 1].id;
    await source.progress(written);
  }
}
