import type ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';

type StyleModel = Partial<ExcelJS.Style> | undefined;
interface StyleManager {
  addStyleModel(model: StyleModel, cellType?: number): number;
}

/**
 * exceljs' streaming writer looks up every cell's style id by rendering its style to XML, because
 * each cell gets its own copy of its column's style (so its WeakMap of known styles never hits):
 * that is half of the CPU of a big sheet. A style that is only a number format (the Text format of
 * a text column, 0.00 of a price) maps to one id per format and cell type: remember it. Any other
 * style (a bold header, a font) goes the usual way. The file is byte for byte the same.
 */
export function rememberNumberFormatStyles(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const styles = (workbook as unknown as { styles: StyleManager }).styles;
  const addStyleModel = styles.addStyleModel.bind(styles);
  const ids = new Map<string, number>();
  styles.addStyleModel = (model, cellType) => {
    if (!model) return addStyleModel(model, cellType);
    let numFmt = '';
    for (const key in model) {
      if (key !== 'numFmt') return addStyleModel(model, cellType);
      numFmt = model.numFmt ?? '';
    }
    const memo = `${numFmt}\u0000${cellType ?? ''}`;
    let id = ids.get(memo);
    if (id === undefined) {
      id = addStyleModel(model, cellType);
      ids.set(memo, id);
    }
    return id;
  };
}

/**
 * exceljs' streaming writer hands each sheet's XML to the zip without waiting for it (its buffer
 * ignores backpressure), so when deflating, or the reader of the output, is slower than the rows
 * come, the uncompressed XML piles up in memory: most of a big export's memory. Call this between
 * batches of rows: once more than `maxBufferedBytes` of XML wait for the zip, it waits until the zip
 * has taken it all. Below that it returns at once, so rows are made while the zip deflates (on
 * libuv's threads) what came before.
 */
export async function sheetDrained(sheet: ExcelJS.Worksheet, maxBufferedBytes = 4 * 1_048_576): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: PipeTarget[] } }).stream?.pipes ?? [];
  for (const pipe of pipes) {
    const buffered = pipe.writableLength ?? pipe._writableState?.length ?? 0;
    if (pipe.destroyed || buffered <= maxBufferedBytes || !(pipe.writableNeedDrain ?? pipe._writableState?.needDrain)) continue;
    // Also on close: a destroyed output (the client went away) never drains; the writer's own error ends the export.
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        pipe.off('drain', done).off('close', done).off('error', reject);
        resolve();
      };
      pipe.once('drain', done).once('close', done).once('error', reject);
    });
  }
}

/** The zip's input for a sheet (a readable-stream 2 PassThrough in exceljs 4.4: no writableNeedDrain, but its state says it). */
type PipeTarget = Writable & { _writableState?: { needDrain?: boolean; length?: number } };
