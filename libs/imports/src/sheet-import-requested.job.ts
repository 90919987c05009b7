import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ActorContext,
  ConflictError,
  DomainError,
  nullIfNotFound,
  OutboxJobData,
  OutboxJobHandler,
  openBytes,
  OutboxService,
  readSheetRows,
  rejectedRowsWorkbook,
  SheetImportHandler,
  sqlOne,
  UnrecoverableError,
} from '@gongxiao/core';
import { MerchantsService } from '@gongxiao/merchants';
import { SHEET_IMPORT_HANDLERS, SheetImportHandlers } from './sheet-import-handlers';
import { RunOutcome, RunTakenOverError, SheetImportRun } from './sheet-import-run';
import { ownImport, SheetImportRow } from './sheet-import-rows';
/** Progress is saved at most this often. */
const PROGRESS_EVERY_MS = 500;
/** Runs an upload gets when something other than its file fails (BullMQ's attempts for the event type). */
const MAX_RUNS = 3;

const REASON_HEADER = { 'zh-CN': '未通过原因', en: 'Reason rejected' } as const;
const ROW_HEADER = { 'zh-CN': '原行号', en: 'Row in upload' } as const;
const SHEET_NAME = { 'zh-CN': '未通过的行', en: 'Rejected rows' } as const;

/**
 * An upload was stored (`sheet_import.requested`): the worker reads its sheet with the handler's
 * column spec (a file that cannot be used fails the upload with the reason, changing nothing), hands
 * every row to the handler, which validates them all before it applies any, and stores the counts and
 * the rejected-rows workbook. A run for an upload already done does nothing; a retry starts again and
 * is harmless because handlers are idempotent per file digest and row. Every write of a run carries
 * its claim token (`SheetImportRun`): a stale run that wakes up after another took over stops there.
 */
@Injectable()
export class SheetImportRequestedJob implements OutboxJobHandler<'sheet_import.requested'> {
  readonly eventType = 'sheet_import.requested' as const;
  private readonly logger = new Logger('sheet-import');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    @Inject(SHEET_IMPORT_HANDLERS) private readonly handlers: SheetImportHandlers,
    private readonly merchants: MerchantsService,
  ) {}

  async handle(job: OutboxJobData<'sheet_import.requested'>): Promise<void> {
    const em = this.em.fork();
    const importId = job.payload?.importId;
    // Only "no such upload" ends the job here; any other error (the database away) is BullMQ's to retry.
    const row = typeof importId === 'string' ? await nullIfNotFound(ownImport(em, null, importId)) : null;
    if (!row || row.status === 'done' || (row.status === 'failed' && row.error_code)) {
      await em.transactional((tx) => this.outbox.markProcessed(tx, job.eventId));
      return;
    }
    const run = await SheetImportRun.claim(em, row.id);
    if (!run) {
      this.logger.warn({ importId: row.id }, 'sheet import already being applied by another run');
      return;
    }
    try {
      const outcome = await this.apply(em, row, run);
      await em.transactional(async (tx) => {
        if (await run.finish(tx, outcome)) await this.outbox.markProcessed(tx, job.eventId);
        else this.logger.warn({ importId: row.id }, 'sheet import taken over by another run: its outcome is not stored');
      });
    } catch (error) {
      if (error instanceof RunTakenOverError) {
        this.logger.warn({ importId: row.id }, 'sheet import taken over by another run: this run stops');
        return;
      }
      if (!(error instanceof DomainError)) {
        await this.failedRun(em, row, run, job.eventId, error);
        throw error;
      }
      // The file (or a form field) is wrong: nothing was applied; say why and do not retry.
      await em.transactional(async (tx) => {
        if (await run.failFile(tx, error)) await this.outbox.markProcessed(tx, job.eventId);
      });
      throw new UnrecoverableError(error.message);
    }
  }

  /**
   * A run failed for a reason other than the file (the database or Redis away, a bug): queued again
   * for BullMQ's next attempt, or, after the last one, failed for good with what to do next.
   */
  private async failedRun(em: EntityManager, row: SheetImportRow, run: SheetImportRun, eventId: string, error: unknown): Promise<void> {
    const attempts = (await run.attempts(em)) || MAX_RUNS;
    this.logger.error({ err: error, importId: row.id, attempts }, attempts >= MAX_RUNS ? 'sheet import failed for good' : 'sheet import failed; retried');
    if (attempts < MAX_RUNS) {
      await run.requeue(em, `Run ${attempts} could not finish; it is retried automatically.`);
      return;
    }
    await em.transactional(async (tx) => {
      const message = `The upload could not be applied after ${attempts} tries (rows already applied stay applied; uploading the same sheet again applies the rest and changes nothing twice). Upload it again with a new Idempotency-Key, and quote import ${row.id} to support if it fails again.`;
      if (await run.failForGood(tx, message)) await this.outbox.markProcessed(tx, eventId);
    });
    throw new UnrecoverableError(`sheet import ${row.id} failed ${attempts} times`);
  }

  private async apply(em: EntityManager, row: SheetImportRow, run: SheetImportRun): Promise<RunOutcome> {
    const handler = this.handlers.of(row.kind);
    const actor = await this.actorOf(row, handler);
    const file = await sqlOne<{ upload: Buffer | null }>(em, `select upload from sheet_import_file where import_id = ?`, [row.id]);
    if (!file?.upload) throw new ConflictError('sheet_import_file_gone', 'The uploaded file is no longer kept; upload it again.');
    const sheet = await readSheetRows(openBytes(file.upload), handler.spec, { language: row.language });
    await run.rowsRead(em, sheet.rows.length);
    // The rows are handed over (moved out of `sheet`): the handler may let go of them once it has taken what it needs.
    const rows = sheet.rows.splice(0);
    let saved = 0;
    const outcome = await handler.apply(
      {
        actor,
        importId: row.id,
        fileDigest: row.file_digest,
        mode: row.mode,
        language: row.language,
        fields: row.fields,
        progress: async (done) => {
          if (Date.now() - saved < PROGRESS_EVERY_MS) return;
          saved = Date.now();
          await run.progress(em, done);
        },
      },
      rows,
    );
    const headers = handler.templateHeaders[row.language];
    const rejectedFile =
      outcome.rejected.length === 0
        ? null
        : await rejectedRowsWorkbook({ sheetName: SHEET_NAME[row.language], headers, reasonHeader: REASON_HEADER[row.language], rowNumberHeader: ROW_HEADER[row.language], rows: outcome.rejected });
    return { applied: outcome.applied, unchanged: outcome.unchanged, rejected: outcome.rejected.length, rejectedFile, ignoredSheets: sheet.ignoredSheets };
  }

  /**
   * The uploader, as the worker acts for them: what they may do now (a member disabled, a key revoked
   * or a role narrowed since the upload narrows it) and never more than they could at upload; the
   * kind's permission checked again (a 403-like failure of the upload, not retried).
   */
  private async actorOf(row: SheetImportRow, handler: SheetImportHandler): Promise<ActorContext> {
    const now = await this.merchants.currentPermissions(row.merchant_id, { memberId: row.member_id, apiKeyId: row.api_key_id });
    const actor = new ActorContext(row.merchant_id, new Set(row.permissions.filter((permission) => now.has(permission))), row.member_id, null, row.api_key_id);
    actor.require(handler.permission);
    return actor;
  }
}
