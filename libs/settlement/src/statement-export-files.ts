import { EntityManager } from '@mikro-orm/postgresql';
import { merchantRow, progressPercent } from '@gongxiao/core';
import { StatementExportResponseDto } from './settlement-files.dto';

/** A statement export as stored. */
export interface StatementExportRow {
  id: string;
  merchant_id: string;
  statement_id: string;
  format: 'xlsx' | 'csv';
  language: 'zh' | 'en';
  payee_name: string;
  payer_name: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  rows_total: number | null;
  rows_written: number;
  file_path: string | null;
  file_name: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id::text, merchant_id::text, statement_id::text, format, language, payee_name, payer_name, status, rows_total, rows_written,
                 file_path, file_name, error, created_at, finished_at`;

/** The export, only for the merchant that asked for it (anyone else: not found). */
export async function ownExport(em: EntityManager, merchantId: string | null, exportId: string): Promise<StatementExportRow> {
  return merchantRow<StatementExportRow>(em, { table: 'statement_export', columns: COLUMNS, resource: 'statement export' }, merchantId, exportId);
}

export function toExportResponse(row: StatementExportRow): StatementExportResponseDto {
  const total = row.rows_total;
  const percent = progressPercent(row.status, row.rows_written, total);
  return {
    id: row.id,
    statementId: row.statement_id,
    format: row.format,
    language: row.language,
    status: row.status,
    rowsTotal: total,
    rowsWritten: row.rows_written,
    percent,
    fileName: row.file_name,
    downloadUrl: row.status === 'done' ? `/v1/statement-exports/${row.id}/file` : null,
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

/** 对账单-2026-11-<payer>.xlsx (statement-2026-11-<payer>.csv in English): what the download is called. */
export function exportFileName(row: Pick<StatementExportRow, 'language' | 'format' | 'payer_name'>, period: string): string {
  const payer =
    row.payer_name
      .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
      .trim()
      .slice(0, 80) || 'payer';
  return `${row.language === 'zh' ? '对账单' : 'statement'}-${period.slice(0, 7)}-${payer}.${row.format}`;
}

/** A Content-Disposition that keeps a Chinese file name (RFC 6266 filename*, with an ASCII fallback). */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
