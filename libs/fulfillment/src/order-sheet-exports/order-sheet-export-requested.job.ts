import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig, DomainError, OutboxJobData, OutboxJobHandler, OutboxService, sqlExec, UnrecoverableError } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { timeZonesOf } from '@gongxiao/settlement';
import { localTime } from '../fulfillment-sheet';
import { filtersOf, orderSheetFileName, OrderSheetExportRow, ownOrderSheetExport } from './order-sheet-export-files';
import { countOrderSheetLines, writeOrderSheet } from './order-sheet-writer';

/** A run renews its claim with every page; one not renewed for this long belongs to a worker that died. */
const CLAIM_STALE_SECONDS = 120;

/**
 * A supplier asked for an order sheet as a file (`order_sheet_export.requested`): the worker streams
 * it to EXPORT_DIR page by page (keyset on the line id), saving progress as it goes, then
 * marks the export done with its file and the outbox row processed in one transaction. A run for an
 * export already done does nothing; one whose worker died mid-way is taken over once its claim is
 * stale, and every run writes the file again from the start (a part file, renamed when complete).
 * On failure the export says failed, with what to do, and BullMQ retries it (3 attempts).
 */
@Injectable()
export class OrderSheetExportRequestedJob implements OutboxJobHandler<'order_sheet_export.requested'> {
  readonly eventType = 'order_sheet_export.requested' as const;
  private readonly logger = new Logger('order-sheet-export');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly catalog: CatalogService,
    private readonly config: AppConfig,
  ) {}

  async handle(job: OutboxJobData<'order_sheet_export.requested'>): Promise<void> {
    const em = this.em.fork();
    const exportId = job.payload?.exportId;
    const row = typeof exportId === 'string' ? await ownOrderSheetExport(em, null, exportId).catch(() => null) : null;
    if (!row || row.status === 'done') {
      await em.transactional((tx) => this.outbox.markProcessed(tx, job.eventId));
      return;
    }
    const claimed = await sqlExec(
      em,
      `update order_sheet_export set status = 'running', lines_written = 0, rows_written = 0, error = null, claimed_at = now()
        where id = ? and (status in ('queued', 'failed') or (status = 'running' and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))))`,
      [row.id, CLAIM_STALE_SECONDS],
    );
    if (claimed === 0) {
      // Another run is writing it: it marks the event done; if it dies, the relay hands the event out again and the stale claim is taken over.
      this.logger.warn({ exportId: row.id }, 'order sheet export already being written by another run');
      return;
    }
    const directory = resolve(this.config.EXPORT_DIR);
    const path = join(directory, `order-sheet-export-${row.id}.xlsx`);
    const part = `${path}.${process.pid}-${Date.now()}.part`;
    try {
      await mkdir(directory, { recursive: true });
      const timeZone = (await timeZonesOf(em, [row.merchant_id])).get(row.merchant_id)!;
      // Pages are keyset reads by line id outside a transaction (their queries run side by side on the pool's
      // connections): an order changing meanwhile shows as it is when its page is read; the total is what was counted first.
      const written = await this.write(em, row, timeZone, part);
      await rename(part, path);
      await em.transactional(async (tx) => {
        await sqlExec(tx, `update order_sheet_export set status = 'done', file_path = ?, file_name = ?, lines_written = ?, rows_written = ?, finished_at = now() where id = ?`, [
          path,
          orderSheetFileName(row, localTime(new Date(), timeZone).slice(0, 10)),
          written.lines,
          written.rows,
          row.id,
        ]);
        await this.outbox.markProcessed(tx, job.eventId);
      });
    } catch (error) {
      await rm(part, { force: true });
      const reason = error instanceof DomainError ? error.message : 'the file could not be written';
      this.logger.error({ err: error, exportId: row.id }, 'order sheet export failed');
      await sqlExec(em, `update order_sheet_export set status = 'failed', error = ?, finished_at = now() where id = ?`, [
        `The export failed: ${reason}. It is retried automatically; if it still says failed, ask for the export again, and quote export ${row.id} to support if that fails too.`,
        row.id,
      ]);
      throw error instanceof DomainError ? new UnrecoverableError(error.message) : error;
    }
  }

  private async write(em: EntityManager, row: OrderSheetExportRow, timeZone: string, part: string): Promise<{ lines: number; rows: number }> {
    const filters = filtersOf(row);
    const total = await countOrderSheetLines(em, row.merchant_id, filters);
    await sqlExec(em, `update order_sheet_export set lines_total = ?, claimed_at = now() where id = ?`, [total, row.id]);
    const output = createWriteStream(part);
    try {
      return await writeOrderSheet(
        em,
        this.catalog,
        {
          supplierMerchantId: row.merchant_id,
          filters,
          language: row.language,
          timeZone,
          progress: async (lines, rows) => {
            await sqlExec(em, `update order_sheet_export set lines_written = ?, rows_written = ?, claimed_at = now() where id = ?`, [lines, rows, row.id]);
          },
        },
        output,
      );
    } catch (error) {
      output.destroy();
      throw error;
    }
  }
}
