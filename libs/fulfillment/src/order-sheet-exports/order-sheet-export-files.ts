import { EntityManager } from '@mikro-orm/postgresql';
import { merchantRow, progressPercent } from '@gongxiao/core';
import { FulfillmentStatus } from '../fulfillment.dto';
import { SheetLanguage } from '../fulfillment-sheet';
import { OrderSheetExportResponseDto } from './order-sheet-exports.dto';
import { OrderSheetFilters } from './order-sheet-writer';

/** An order-sheet export as stored. */
export interface OrderSheetExportRow {
  id: string;
  merchant_id: string;
  language: SheetLanguage;
  status_filter: FulfillmentStatus;
  warehouse_id: string | null;
  created_from: Date | string | null;
  created_to: Date | string | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  lines_total: number | null;
  lines_written: number;
  rows_written: number;
  file_path: string | null;
  file_name: string | null;
  error: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
  file_pruned_at: Date | string | null;
}

const COLUMNS = `id::text, merchant_id::text, language, status_filter, warehouse_id::text, created_from, created_to, status, lines_total, lines_written, rows_written,
                 file_path, file_name, error, created_at, finished_at, file_pruned_at`;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The export, only for the merchant that asked for it (anyone else, and `merchantId` null is the worker: not found). */
export async function ownOrderSheetExport(em: EntityManager, merchantId: string | null, exportId: string): Promise<OrderSheetExportRow> {
  return merchantRow<OrderSheetExportRow>(em, { table: 'order_sheet_export', columns: COLUMNS, resource: 'order sheet export' }, merchantId, exportId);
}

export function filtersOf(row: OrderSheetExportRow): OrderSheetFilters {
  return { status: row.status_filter, warehouseId: row.warehouse_id, createdFrom: iso(row.created_from), createdTo: iso(row.created_to) };
}

export function toOrderSheetExportResponse(row: OrderSheetExportRow): OrderSheetExportResponseDto {
  const total = row.lines_total;
  const percent = progressPercent(row.status, row.lines_written, total);
  return {
    id: row.id,
    status: row.status,
    language: row.language,
    orderStatus: row.status_filter,
    warehouseId: row.warehouse_id,
    createdFrom: iso(row.created_from),
    createdTo: iso(row.created_to),
    linesTotal: total,
    linesWritten: row.lines_written,
    rowsWritten: row.rows_written,
    percent,
    fileName: row.file_name,
    downloadUrl: row.status === 'done' && !row.file_pruned_at ? `/v1/fulfillment-order-exports/${row.id}/file` : null,
    error: row.error,
    createdAt: iso(row.created_at)!,
    finishedAt: iso(row.finished_at),
    filePrunedAt: iso(row.file_pruned_at),
  };
}

/** fulfillment-orders-shipped-2026-12-01.xlsx: the name the synchronous export gives the same sheet, dated on the supplier's wall clock. */
export function orderSheetFileName(row: Pick<OrderSheetExportRow, 'status_filter'>, today: string): string {
  return `fulfillment-orders-${row.status_filter}-${today}.xlsx`;
}

/** Why an export failed and what to do, in the export's language (`reason`: a domain error's message; else the file could not be written). */
export function orderSheetExportFailedMessage(row: Pick<OrderSheetExportRow, 'id' | 'language'>, reason: string | null): string {
  if (row.language === 'en') {
    return `The export failed: ${reason ?? 'the file could not be written'}. It is retried automatically; if it still says failed, ask for the export again, and quote export ${row.id} to support if that fails too.`;
  }
  return `导出失败：${reason ?? '文件未能写入'}。系统会自动重试；如果仍显示失败，请重新发起导出；再次失败请联系客服并提供导出编号 ${row.id}。`;
}
