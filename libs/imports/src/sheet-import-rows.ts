import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorDetail, merchantRow, Permission, progressPercent, SheetImportMode, SheetLanguageCode, sqlOne } from '@gongxiao/core';
import { SheetImportKind, SheetImportResponseDto, SheetImportStatus } from './imports.dto';

/** An upload as stored (without its bytes). */
export interface SheetImportRow {
  id: string;
  merchant_id: string;
  kind: SheetImportKind;
  mode: SheetImportMode;
  language: SheetLanguageCode;
  fields: Record<string, string>;
  file_name: string;
  file_digest: string;
  file_size: number;
  idempotency_key: string | null;
  status: SheetImportStatus;
  rows_total: number | null;
  rows_done: number;
  applied: number | null;
  unchanged: number | null;
  rejected: number | null;
  ignored_sheets: string[];
  error_code: string | null;
  error: string | null;
  error_details: ErrorDetail[] | null;
  member_id: string | null;
  api_key_id: string | null;
  permissions: Permission[];
  created_at: Date | string;
  finished_at: Date | string | null;
  files_pruned_at: Date | string | null;
}

export const SHEET_IMPORT_COLUMNS = `id::text, merchant_id::text, kind, mode, language, fields, file_name, file_digest, file_size, idempotency_key, status, rows_total, rows_done,
  applied, unchanged, rejected, ignored_sheets, error_code, error, error_details, member_id::text, api_key_id::text, permissions, created_at, finished_at, files_pruned_at`;

/** The upload, only for the merchant that made it (anyone else: not found); `null` merchant for the worker. */
export async function ownImport(em: EntityManager, merchantId: string | null, importId: string): Promise<SheetImportRow> {
  return merchantRow<SheetImportRow>(em, { table: 'sheet_import', columns: SHEET_IMPORT_COLUMNS, resource: 'import' }, merchantId, importId);
}

export function toImportResponse(row: SheetImportRow): SheetImportResponseDto {
  const total = row.rows_total;
  const percent = progressPercent(row.status, row.rows_done, total);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    mode: row.mode,
    language: row.language,
    fileName: row.file_name,
    progress: { done: row.rows_done, total, percent },
    applied: row.applied,
    unchanged: row.unchanged,
    rejected: row.rejected,
    ignoredSheets: row.ignored_sheets ?? [],
    error: row.error_code ? { code: row.error_code, message: row.error ?? '', details: row.error_details ?? [] } : null,
    rejectedFileUrl: row.status === 'done' && (row.rejected ?? 0) > 0 && !row.files_pruned_at ? `/v1/imports/${row.id}/rejected.xlsx` : null,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    filesPrunedAt: row.files_pruned_at ? new Date(row.files_pruned_at).toISOString() : null,
  };
}

/**
 * Retention (the worker's maintenance sweep): deletes the stored files — the upload's bytes, if any are
 * left, and the rejected-rows workbook, which holds what the user typed (consignees' names, phones,
 * addresses) — of up to `batch` uploads finished (or, never finished, created) more than
 * `olderThanDays` ago, and marks them pruned; their counts and errors stay. Returns the uploads pruned.
 */
export async function pruneImportFiles(em: EntityManager, olderThanDays: number, batch: number): Promise<number> {
  const pruned = await sqlOne<{ n: number }>(
    em,
    `with due as (
       select id from sheet_import where files_pruned_at is null and coalesce(finished_at, created_at) < now() - make_interval(days => ?)
        order by coalesce(finished_at, created_at) limit ? for update skip locked
     ),
     marked as (update sheet_import i set files_pruned_at = now() from due where i.id = due.id returning i.id),
     deleted as (delete from sheet_import_file f using marked where f.import_id = marked.id returning 1)
     select (select count(*) from marked)::int as n, (select count(*) from deleted)::int as files`,
    [olderThanDays, batch],
  );
  return pruned?.n ?? 0;
}
