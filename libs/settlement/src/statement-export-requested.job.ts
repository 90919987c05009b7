import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig, DomainError, nullIfNotFound, OutboxJobData, OutboxJobHandler, OutboxService, ReadReplica, sqlExec, sqlOne, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { timeZonesOf } from './periods';
import { statementFileTotals, visibleStatement } from './statement-file-facts';
import { exportFileName, ownExport, StatementExportRow } from './statement-export-files';
import { DetailEntry } from './statement-export-sheets';
import { StatementFileSource, writeStatementCsv, writeStatementXlsx } from './statement-export-writer';

/** Entries read per page (by id, never all at once); progress is saved after each. */
const PAGE = 2000;
/** A run renews its claim with every page; one not renewed for this long belongs to a worker that died. */
const CLAIM_STALE_SECONDS = 120;

/**
 * A statement export was asked for (`statement_export.requested`): the worker streams the file to
 * EXPORT_DIR, entries page by page, saving progress as it goes, then marks the export done with
 * its file name and the outbox row processed in one transaction. A run for an export already done
 * does nothing; a retry writes the file again from the start. On failure the export says failed,
 * with what to do, and BullMQ retries it (3 attempts).
 */
@Injectable()
export class StatementExportRequestedJob implements OutboxJobHandler<'statement_export.requested'> {
  readonly eventType = 'statement_export.requested' as const;
  private readonly logger = new Logger('statement-export');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly replica: ReadReplica,
  ) {}

  async handle(job: OutboxJobData<'statement_export.requested'>): Promise<void> {
    const em = this.em.fork();
    const exportId = job.payload?.exportId;
    // Only "no such export" ends the job here; any other error (the database away) is BullMQ's to retry.
    const row = typeof exportId === 'string' ? await nullIfNotFound(ownExport(em, null, exportId)) : null;
    if (!row || row.status === 'done') {
      await em.transactional((tx) => this.outbox.markProcessed(tx, job.eventId));
      return;
    }
    // One run at a time: a run renews its claim as it writes; one whose worker died is taken over once its claim is stale.
    const claimed = await sqlExec(
      em,
      `update statement_export set status = 'running', rows_written = 0, error = null, claimed_at = now()
        where id = ? and (status in ('queued', 'failed') or (status = 'running' and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))))`,
      [row.id, CLAIM_STALE_SECONDS],
    );
    if (claimed === 0) {
      // Another run is writing it: it marks the event done; if it dies, the relay hands the event out again and the stale claim is taken over.
      this.logger.warn({ exportId: row.id }, 'statement export already being written by another run');
      return;
    }
    const directory = resolve(this.config.EXPORT_DIR);
    const path = join(directory, `statement-export-${row.id}.${row.format}`);
    const part = `${path}.${process.pid}-${Date.now()}.part`;
    try {
      await mkdir(directory, { recursive: true });
      // Summary and detail from one snapshot of the entries (an open month still takes new ones), on the read replica once it has caught up.
      const period = await this.replica.snapshot(em, async (snapshot) => {
        const { source, period } = await this.source(snapshot, em, row);
        await (row.format === 'xlsx' ? writeStatementXlsx : writeStatementCsv)(part, source);
        return period;
      });
      await rename(part, path);
      await em.transactional(async (tx) => {
        await sqlExec(tx, `update statement_export set status = 'done', file_path = ?, file_name = ?, rows_written = coalesce(rows_total, rows_written), finished_at = now() where id = ?`, [
          path,
          exportFileName(row, period),
          row.id,
        ]);
        await this.outbox.markProcessed(tx, job.eventId);
      });
    } catch (error) {
      await rm(part, { force: true });
      const reason = error instanceof DomainError ? error.message : 'the file could not be written';
      this.logger.error({ err: error, exportId: row.id }, 'statement export failed');
      await sqlExec(em, `update statement_export set status = 'failed', error = ?, finished_at = now() where id = ?`, [
        `The export failed: ${reason}. It is retried automatically; if it still says failed, ask for the export again, and quote export ${row.id} to support if that fails too.`,
        row.id,
      ]);
      throw error instanceof DomainError ? new UnrecoverableError(error.message) : error;
    }
  }

  /** What the file is written from; counts the entries (the total the progress runs to) up to the last one now. */
  private async source(snapshot: EntityManager, em: EntityManager, row: StatementExportRow): Promise<{ source: StatementFileSource; period: string }> {
    const statement = await visibleStatement(snapshot, row.merchant_id, row.statement_id);
    const totals = await statementFileTotals(snapshot, statement);
    const timeZone = (await timeZonesOf(snapshot, [statement.seller_merchant_id])).get(statement.seller_merchant_id)!;
    const extent = await sqlOne<{ count: number; last: string | null }>(snapshot, `select count(*)::int as count, max(id)::text as last from ledger_entry where statement_id = ?`, [statement.id]);
    await sqlExec(em, `update statement_export set rows_total = ? where id = ?`, [extent!.count, row.id]);
    const last = extent!.last ?? '0';
    const source: StatementFileSource = {
      statement,
      totals,
      timeZone,
      language: row.language,
      payeeName: row.payee_name,
      payerName: row.payer_name,
      // Ordered by the bigint id (not the text alias "id" of the select list).
      page: (after) =>
        sqlRows<DetailEntry>(
          snapshot,
          `select e.id::text as id, occurred_at, external_order_id, fulfillment_order_id::text, sku_code, quantity, unit_price_amount::text, kind,
                  (case when debit_account = 'receivable' then amount else -amount end)::text as signed_amount
             from ledger_entry e where e.statement_id = ? and e.id > ? and e.id <= ? order by e.id limit ?`,
          [statement.id, after, last, PAGE],
        ),
      progress: async (written) => {
        await sqlExec(em, `update statement_export set rows_written = ?, claimed_at = now() where id = ?`, [written, row.id]);
      },
    };
    return { source, period: statement.period };
  }
}
