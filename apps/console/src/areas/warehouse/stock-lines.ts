/** One pasted line "SKU编码,仓库编码,数量" as the page understood it. */
export interface StockLine {
  lineNo: number;
  text: string;
  skuCode: string;
  warehouseCode: string;
  /** Absolute units on hand, or a change when the quantity starts with + or -. */
  onHand?: number;
  delta?: number;
  /** Why the page will not send it (set by the page, in the member's language, from a problem code). */
  problem?: 'columns' | 'quantity' | 'duplicate';
}

/** Splits pasted text into lines (commas, Chinese commas or tabs between columns; blank lines skipped). */
export function parseStockLines(text: string): StockLine[] {
  const seen = new Set<string>();
  const lines: StockLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!trimmed) return;
    const columns = trimmed.split(/[,，\t]/).map((column) => column.trim());
    const [skuCode = '', warehouseCode = '', quantity = ''] = columns;
    const line: StockLine = { lineNo: index + 1, text: trimmed, skuCode, warehouseCode };
    if (columns.length !== 3 || !skuCode || !warehouseCode) line.problem = 'columns';
    else if (/^[+-]\d{1,9}$/.test(quantity) && Number(quantity) !== 0) line.delta = Number(quantity);
    else if (/^\d{1,9}$/.test(quantity)) line.onHand = Number(quantity);
    else line.problem = 'quantity';
    const pair = `${skuCode}|${warehouseCode}`;
    if (!line.problem && seen.has(pair)) line.problem = 'duplicate';
    seen.add(pair);
    lines.push(line);
  });
  return lines;
}

/** The api's updates for the lines worth sending; each key is the batch's key and the line number. */
export function stockUpdatesOf(lines: StockLine[], batchKey: string) {
  return lines
    .filter((line) => !line.problem)
    .map((line) => ({
      key: `${batchKey}-${line.lineNo}`,
      skuCode: line.skuCode,
      warehouseCode: line.warehouseCode,
      ...(line.delta !== undefined ? { delta: line.delta } : { onHand: line.onHand }),
      reason: 'stock_count' as const,
    }));
}
