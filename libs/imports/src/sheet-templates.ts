import ExcelJS from 'exceljs';
import { SheetImportHandler, SheetLanguageCode } from '@gongxiao/core';

const INSTRUCTIONS = {
  'zh-CN': { sheet: '填写说明', column: '列名', required: '必填', also: '也可写作', yes: '是', no: '否' },
  en: { sheet: 'How to fill in', column: 'Column', required: 'Required', also: 'Also accepted', yes: 'yes', no: 'no' },
} as const;

const TEMPLATE_NAMES: Record<string, Record<SheetLanguageCode, string>> = {
  tracking_backfill: { 'zh-CN': '回填物流单号', en: 'tracking-backfill' },
  channel_orders: { 'zh-CN': '批量下单', en: 'bulk-orders' },
  products: { 'zh-CN': '商品导入', en: 'products' },
  stock_levels: { 'zh-CN': '库存导入', en: 'stock-levels' },
};

/**
 * An empty upload template: the headers the upload reads (every column a text column, so codes and
 * phone numbers keep their leading zeros), and a second sheet saying which columns are required
 * and which other header texts are accepted (the upload reads the first sheet and names the other).
 */
export async function sheetTemplate(handler: SheetImportHandler, language: SheetLanguageCode): Promise<{ file: Buffer; fileName: string }> {
  const text = INSTRUCTIONS[language];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(TEMPLATE_NAMES[handler.kind]?.[language] ?? handler.kind, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = handler.templateHeaders[language].map((header) => ({ header, width: Math.max(12, header.length * 2 + 4), style: { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  const help = workbook.addWorksheet(text.sheet);
  help.columns = [
    { header: text.column, width: 18 },
    { header: text.required, width: 8 },
    { header: text.also, width: 60 },
  ];
  help.getRow(1).font = { bold: true };
  for (const column of handler.spec.columns) {
    const [zh, en, ...synonyms] = column.headers;
    const shown = language === 'en' ? (en ?? zh) : zh;
    help.addRow([shown, column.required ? text.yes : text.no, [language === 'en' ? zh : en, ...synonyms].filter(Boolean).join(' / ')]);
  }
  const name = TEMPLATE_NAMES[handler.kind]?.[language] ?? handler.kind;
  return { file: Buffer.from(await workbook.xlsx.writeBuffer()), fileName: `${name}${language === 'en' ? '-template' : '模板'}.xlsx` };
}
