import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig, DomainError, OutboxJobData, OutboxJobHandler, OutboxService, sqlExec, sqlOne, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { timeZonesOf } from './periods';
import { statementFileTotals, visibleStatement } from './statement-file-facts';
import { exportFileName, ownExport, StatementExportRow } from './statement-export-files';
import { DetailEntry } from './statement-export-sheets';
import { StatementFileSource, writeStatementCsv, writeStatementXlsx } from './statement-export-writer';

/** Entries read per page (by id, never all at once); progress is saved after each. */
const PAGE = 2000;

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
  ) {}

  async handle(job: OutboxJobData<'statement_export.requested'>): Promise<void> {
    const em = this.em.fork();
    const exportId = job.payload?.exportId;
    const row = typeof exportId === 'string' ? await ownExport(em, null, exportId).catch(() => null) : null;
    if (!row || row.status === 'done') {
      await em.transactional((tx) => this.outbox.markProcessed(tx, job.eventId));
      return;
    }
    const claimed = await sqlExec(em, `update statement_export set status = 'running', rows_written = 0, error = null where id = ? and status <> 'done'`, [row.id]);
    if (claimed === 0) return;
    const directory = resolve(this.config.EXPORT_DIR);
    const path = join(directory, `statement-export-${row.id}.${row.format}`);
    try {
      await mkdir(directory, { recursive: true });
      const { source, period } = await this.source(em, row);
      await (row.format === 'xlsx' ? writeStatementXlsx : writeStatementCsv)(`${path}.part`, source);
      await rename(`${path}.part`, path);
      await em.transactional(async (tx) => {
        await sqlExec(tx, `update statement_export set status = 'done', file_path = ?, file_name = ?, rows_written = coalesce(rows_total, rows_written), finished_at = now() where id = ?`, [
          path,
          exportFileName(row, period),
          row.id,
        ]);
        await this.outbox.markProcessed(tx, job.eventId);
      });
    } catch (error) {
      await rm(`${path}.part`, { force: true });
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
  private async source(em: EntityManager, row: StatementExportRow): Promise<{ source: StatementFileSource; period: string }> {
    const statement = await visibleStatement(em, row.merchant_id, row.statement_id);
    const totals = await statementFileTotals(em, statement);
    const timeZone = (await timeZonesOf(em, [statement.seller_merchant_id])).get(statement.seller_merchant_id)!;
    const extent = await sqlOne<{ count: number; last: string | null }>(em, `select count(*)::int as count, max(id)::text as last from ledger_entry where statement_id = ?`, [statement.id]);
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
          em,
          `select e.id::text as id, occurred_at, external_order_id, fulfillment_order_id::text, sku_code, quantity, unit_price_amount::text, kind,
                  (case when debit_account = 'receivable' then amount else -amount end)::text as signed_amount
             from ledger_entry e where e.statement_id = ? and e.id > ? and e.id <= ? order by e.id limit ?`,
          [statement.id, after, last, PAGE],
        ),
      progress: async (written) => {
        await sqlExec(em, `update statement_export set rows_written = ? where id = ?`, [written, row.id]);
      },
    };
    return { source, period: statement.period };
  }
}
