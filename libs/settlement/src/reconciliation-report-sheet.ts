import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { safeXlsxText, TEXT_FORMAT } from '@gongxiao/core';
import { ReconciliationReportResponseDto } from './settlement-files.dto';
import { currencyFormat, ExportLanguage } from './statement-export-sheets';
import { fenToYuanNumber } from './yuan';

const HEADERS: Record<ExportLanguage, string[]> = {
  zh: ['订单号', '商品编码', '结果', '我方金额', '对方金额', '差额（对方−我方）', '我方数量', '对方数量', '对方文件行号'],
  en: ['Order no.', 'SKU code', 'Result', 'Our amount', 'Their amount', 'Difference (theirs − ours)', 'Our quantity', 'Their quantity', 'Row in their file'],
};
const WIDTHS = [24, 20, 12, 14, 14, 18, 10, 10, 12];

const STATUS_LABELS: Record<ExportLanguage, Record<string, string>> = {
  zh: { matched: '一致', amount_differs: '金额不符', only_ours: '仅我方有', only_theirs: '仅对方有' },
  en: { matched: 'Matched', amount_differs: 'Amount differs', only_ours: 'Only ours', only_theirs: 'Only theirs' },
};

const SUMMARY_LABELS: Record<ExportLanguage, [string, string, string, string, string, string]> = {
  zh: ['一致', '金额不符', '仅我方有', '仅对方有', '我方合计', '对方合计'],
  en: ['Matched', 'Amount differs', 'Only ours', 'Only theirs', 'Our total', 'Their total'],
};

/** The match report as .xlsx (streaming writer): the lines, then a summary sheet. */
export async function writeReconciliationXlsx(report: ReconciliationReportResponseDto, currency: string, language: ExportLanguage, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const format = currencyFormat(currency);
  const sheet = workbook.addWorksheet(language === 'zh' ? '对账结果' : 'Reconciliation', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = HEADERS[language].map((header, index) => ({ header, width: WIDTHS[index], style: index >= 3 && index <= 5 ? { numFmt: format } : index <= 1 ? { numFmt: TEXT_FORMAT } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const yuan = (value: { amount: number } | null) => (value === null ? null : fenToYuanNumber(value.amount));
  for (const row of report.rows) {
    sheet
      .addRow([
        safeXlsxText(row.orderNumber),
        safeXlsxText(row.skuCode),
        STATUS_LABELS[language][row.status],
        yuan(row.ours),
        yuan(row.theirs),
        yuan(row.difference),
        row.ourQuantity,
        row.theirQuantity,
        row.rowNumber,
      ])
      .commit();
  }
  sheet.commit();
  const summary = workbook.addWorksheet(language === 'zh' ? '汇总' : 'Summary');
  summary.columns = [{ width: 16 }, { width: 18 }];
  const labels = SUMMARY_LABELS[language];
  const counts = [report.summary.matched, report.summary.amountDiffers, report.summary.onlyOurs, report.summary.onlyTheirs];
  counts.forEach((count, index) => summary.addRow([labels[index], count]).commit());
  for (const [label, total] of [
    [labels[4], report.summary.oursTotal],
    [labels[5], report.summary.theirsTotal],
  ] as const) {
    const row = summary.addRow([label, fenToYuanNumber(total.amount)]);
    row.getCell(2).numFmt = format;
    row.commit();
  }
  summary.commit();
  await workbook.commit();
}
