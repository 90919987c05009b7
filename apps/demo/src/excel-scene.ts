import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exampleTrackingNumber } from '@gongxiao/core';
import { progress, step } from './console-output';
import { DemoClient } from './http-client';
import { DemoNetwork } from './network';

export interface ExcelBackfill {
  rows: number;
  applied: number;
  unchanged: number;
  rejected: number;
  seconds: number;
}

/** The order sheet's column (1-based) headed `header`. */
function columnOf(sheet: ExcelJS.Worksheet, header: string): number {
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const index = headers.indexOf(header);
  if (index < 1) throw new Error(`the order sheet has no column ${header}`);
  return index;
}

/** Polls an upload until the worker has finished with it. */
async function finished(
  client: DemoClient,
  token: string,
  id: string,
): Promise<{ status: string; applied: number; unchanged: number; rejected: number; error: unknown; progress: { done: number; total: number | null } }> {
  for (;;) {
    const upload = await client.call('GET', `/v1/imports/${id}`, { token });
    if (upload.status === 'done' || upload.status === 'failed') return upload;
    if (upload.progress.total) progress('applied', upload.progress.done, upload.progress.total);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The farm works in Excel, as many small suppliers do: it downloads its order sheet (发货单) of new
 * orders, fills in 快递公司 and 快递单号 (one parcel per order), and uploads it back (回填物流单号);
 * the worker validates every row and records the parcels. The filled sheet is kept in ./out.
 */
export async function farmShipsByExcel(client: DemoClient, network: DemoNetwork, runSerial: string, out: string): Promise<ExcelBackfill> {
  step('The farm ships by Excel: downloads its order sheet, fills in carrier and tracking, uploads it back');
  const token = network.farm.token;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await client.download('/v1/fulfillment-orders/export.xlsx?status=new', token)) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const [order, carrier, tracking] = ['发货单号', '快递公司', '快递单号'].map((header) => columnOf(sheet, header));
  const parcels = new Map<string, string>();
  let rows = 0;
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const id = String(row.getCell(order).value);
    if (!parcels.has(id)) parcels.set(id, exampleTrackingNumber('ZTO', `${runSerial}8${String(parcels.size).padStart(5, '0')}`));
    row.getCell(carrier).value = '中通';
    row.getCell(tracking).value = parcels.get(id)!;
    rows += 1;
  });
  const filled = Buffer.from(await workbook.xlsx.writeBuffer());
  writeFileSync(resolve(out, 'farm-order-sheet-filled.xlsx'), filled);
  const started = Date.now();
  const upload = await client.upload<{ id: string }>('/v1/imports?kind=tracking_backfill', token, filled, '发货单-已填.xlsx', { mode: 'valid_rows' });
  const result = await finished(client, token, upload.id);
  if (result.status !== 'done') throw new Error(`the farm's tracking backfill failed: ${JSON.stringify(result.error)}`);
  return { rows, applied: result.applied, unchanged: result.unchanged, rejected: result.rejected, seconds: (Date.now() - started) / 1000 };
}
