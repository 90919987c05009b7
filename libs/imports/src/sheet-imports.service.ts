import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  ActorContext,
  AppConfig,
  ConflictError,
  decodeIdCursor,
  encryptBytes,
  openBytes,
  OutboxService,
  Page,
  SHEET_IMPORT_MODES,
  SHEET_LANGUAGE_CODES,
  SheetImportMode,
  SheetLanguageCode,
  sqlExec,
  sqlOne,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { ListSheetImportsQueryDto, SheetImportResponseDto } from './imports.dto';
import { SHEET_IMPORT_HANDLERS, SheetImportHandlers } from './sheet-import-handlers';
import { ownImport, SHEET_IMPORT_COLUMNS, SheetImportRow, toImportResponse } from './sheet-import-rows';
import { sheetTemplate } from './sheet-templates';
import { checkUploadedWorkbook } from './uploaded-workbook';

/** What the api hands over from a multipart upload. */
export interface SheetUpload {
  file: Buffer;
  fileName: string;
  fields: Record<string, string>;
}

/** The form fields every upload understands besides the handler's own. */
const COMMON_FIELDS = ['mode', 'language'];

/**
 * Spreadsheet uploads: stored with their bytes and an outbox event in one transaction here, applied
 * by the worker (`SheetImportRequestedJob`), followed and their rejected rows fetched here. An
 * upload belongs to the merchant that made it.
 */
@Injectable()
export class SheetImportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    @Inject(SHEET_IMPORT_HANDLERS) private readonly handlers: SheetImportHandlers,
    private readonly config: AppConfig,
  ) {}

  /**
   * Accepts an upload of `kind`: the uploader's permission, the form's fields (present, and what the
   * handler checks of them: the shop of bulk orders) and the file's outer shape (a workbook at all, not
   * a zip bomb, not password-protected, not a header row without rows) are checked now, so that a
   * wrong upload is a 4xx at once, storing nothing; the rows are read and applied by the worker. The
   * bytes are stored encrypted (a bulk-order sheet holds consignees' names, phones and addresses). The same Idempotency-Key with
   * the same file answers the first upload again; with another file it is a 409.
   */
  async upload(actor: ActorContext, kind: string, upload: SheetUpload, idempotencyKey: string | undefined): Promise<SheetImportResponseDto> {
    const handler = this.handlers.of(kind);
    actor.require(handler.permission);
    const { mode, language, fields } = readFields(upload.fields, handler.fields ?? []);
    const digest = createHash('sha256').update(upload.file).digest('hex');
    if (idempotencyKey && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) throw ValidationFailedError.field('Idempotency-Key', 'must be 1-200 visible ASCII characters');
    if (idempotencyKey) {
      const earlier = await sqlOne<SheetImportRow>(this.em, `select ${SHEET_IMPORT_COLUMNS} from sheet_import where merchant_id = ? and idempotency_key = ?`, [actor.merchantId, idempotencyKey]);
      if (earlier) return this.answerRetry(earlier, { digest, kind: handler.kind, mode, fields });
    }
    await handler.checkFields?.(actor, fields, language);
    await checkUploadedWorkbook(upload.file, handler.spec, language);
    const id = await this.em.transactional(async (em) => {
      const row = await sqlOne<{ id: string }>(
        em,
        `insert into sheet_import (merchant_id, kind, mode, language, fields, file_name, file_digest, file_size, idempotency_key, member_id, api_key_id, permissions)
         values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::text[]) on conflict do nothing returning id::text`,
        [
          actor.merchantId,
          handler.kind,
          mode,
          language,
          JSON.stringify(fields),
          upload.fileName.slice(0, 200),
          digest,
          upload.file.length,
          idempotencyKey ?? null,
          actor.memberId,
          actor.apiKeyId,
          [...actor.permissions],
        ],
      );
      if (!row) return null;
      await sqlExec(em, `insert into sheet_import_file (import_id, upload) values (?, ?)`, [row.id, encryptBytes(upload.file)]);
      await this.outbox.append(em, [{ type: 'sheet_import.requested', merchantId: actor.merchantId, aggregateId: row.id, payload: { importId: row.id } }]);
      return row.id;
    });
    if (id === null) {
      // The same key raced in from a retry: answer what it stored.
      const earlier = await sqlOne<SheetImportRow>(this.em, `select ${SHEET_IMPORT_COLUMNS} from sheet_import where merchant_id = ? and idempotency_key = ?`, [actor.merchantId, idempotencyKey]);
      return this.answerRetry(earlier!, { digest, kind: handler.kind, mode, fields });
    }
    return toImportResponse(await ownImport(this.em, actor.merchantId, id));
  }

  async get(actor: ActorContext, importId: string): Promise<SheetImportResponseDto> {
    return toImportResponse(await this.visibleImport(actor, importId));
  }

  async list(actor: ActorContext, query: ListSheetImportsQueryDto): Promise<Page<SheetImportResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<SheetImportRow>(
      this.em,
      `select ${SHEET_IMPORT_COLUMNS} from sheet_import
        where merchant_id = ? and kind = any(?::text[]) and (?::text is null or kind = ?::text) and (?::bigint is null or id < ?::bigint) order by id desc limit ?`,
      [actor.merchantId, this.handlers.kindsFor(actor), query.kind ?? null, query.kind ?? null, before, before, limit + 1],
    );
    return toPage(rows, limit, toImportResponse);
  }

  /**
   * The rejected rows with their reasons, as an .xlsx to fix and upload again (decrypted); 409 while the
   * upload is not done, when nothing was rejected, or once the file was pruned (RETENTION_IMPORT_FILE_DAYS).
   */
  async rejectedFile(actor: ActorContext, importId: string): Promise<{ file: Buffer; fileName: string }> {
    const row = await this.visibleImport(actor, importId);
    if (row.files_pruned_at) {
      throw new ConflictError(
        'sheet_import_file_expired',
        `The rejected-rows file of this upload is no longer kept (files are kept ${this.config.RETENTION_IMPORT_FILE_DAYS} days after the upload finished). Fix the rows in your own copy and upload it again.`,
        [{ field: 'status', reason: 'file pruned after its retention period' }],
      );
    }
    const stored = await sqlOne<{ rejected: Buffer | null }>(this.em, `select rejected from sheet_import_file where import_id = ?`, [row.id]);
    if (row.status !== 'done' || !stored?.rejected) {
      const why = row.status === 'done' ? 'no row was rejected' : `the upload is ${row.status}`;
      throw new ConflictError('sheet_import_no_rejected_rows', `There is no rejected-rows file: ${why}.`, [{ field: 'status', reason: why }]);
    }
    const base = row.file_name.replace(/\.xlsx$/i, '');
    return { file: openBytes(stored.rejected), fileName: `${base}-${row.language === 'en' ? 'rejected' : '未通过'}-${row.id}.xlsx` };
  }

  /** The empty template of a kind of upload, in the user's language. */
  template(kind: string, language: SheetLanguageCode): Promise<{ file: Buffer; fileName: string }> {
    return sheetTemplate(this.handlers.of(kind), language);
  }

  /** The upload, for a member of its merchant who may use its kind (uploads hold consignees' addresses and phones: bulk orders need orders:write). */
  private async visibleImport(actor: ActorContext, importId: string): Promise<SheetImportRow> {
    const row = await ownImport(this.em, actor.merchantId, importId);
    actor.require(this.handlers.of(row.kind).permission);
    return row;
  }

  private answerRetry(earlier: SheetImportRow, upload: { digest: string; kind: string; mode: string; fields: Record<string, string> }): SheetImportResponseDto {
    const same = earlier.file_digest === upload.digest && earlier.kind === upload.kind && earlier.mode === upload.mode && sameFields(earlier.fields, upload.fields);
    if (!same)
      throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used for another upload (another file, kind, mode or field); use a new key for a new upload.', [
        { field: 'Idempotency-Key', reason: 'already used with another upload' },
      ]);
    return toImportResponse(earlier);
  }
}

/** The same form fields (jsonb keeps its own key order). */
function sameFields(stored: Record<string, string>, given: Record<string, string>): boolean {
  const keys = Object.keys(given);
  return Object.keys(stored).length === keys.length && keys.every((key) => stored[key] === given[key]);
}

/** mode and language (defaults all_or_nothing and zh-CN) and the handler's own fields; a missing or unknown one is a 400 naming it. */
function readFields(given: Record<string, string>, wanted: { name: string; required: boolean }[]): { mode: SheetImportMode; language: SheetLanguageCode; fields: Record<string, string> } {
  const problems: { field: string; reason: string }[] = [];
  const mode = (given.mode?.trim() || 'all_or_nothing') as SheetImportMode;
  if (!SHEET_IMPORT_MODES.includes(mode)) problems.push({ field: 'mode', reason: `must be one of ${SHEET_IMPORT_MODES.join(', ')}` });
  const language = (given.language?.trim() || 'zh-CN') as SheetLanguageCode;
  if (!SHEET_LANGUAGE_CODES.includes(language)) problems.push({ field: 'language', reason: `must be one of ${SHEET_LANGUAGE_CODES.join(', ')}` });
  const fields: Record<string, string> = {};
  for (const field of wanted) {
    const value = given[field.name]?.trim() ?? '';
    if (value !== '') fields[field.name] = value.slice(0, 200);
    else if (field.required) problems.push({ field: field.name, reason: 'is required for this kind of upload' });
  }
  const known = new Set([...COMMON_FIELDS, ...wanted.map((field) => field.name)]);
  for (const name of Object.keys(given)) if (!known.has(name)) problems.push({ field: name, reason: 'is not a field of this upload' });
  if (problems.length > 0) throw new ValidationFailedError(`The upload's form is incomplete: ${problems.map((problem) => `${problem.field} ${problem.reason}`).join('; ')}.`, problems);
  return { mode, language, fields };
}
