import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig, DomainError, nullIfNotFound, OutboxJobData, OutboxJobHandler, OutboxService, ReadReplica, UnrecoverableError } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { timeZonesOf } from '@gongxiao/settlement';
import { localTime } from '../fulfillment-sheet';
import { filtersOf, orderSheetExportFailedMessage, orderSheetFileName, OrderSheetExportRow, ownOrderSheetExport } from './order-sheet-export-files';
import { OrderSheetExportRun, OrderSheetExportTakenOverError } from './order-sheet-export-run';
import { countOrderSheetLines, writeOrderSheet } from './order-sheet-writer';

/**
 * A supplier asked for an order sheet as a file (`order_sheet_export.requested`): the worker streams
 * it to EXPORT_DIR page by page (keyset on the line id), saving progress as it goes, then
 * marks the export done with its file and the outbox row processed in one transaction. A run for an
 * export already done does nothing; one whose worker died mid-way is taken over once its claim is
 * stale (`OrderSheetExportRun`: every write of a run carries its token), and every run writes the file
 * again from the start (a part file, renamed when complete). A run that finds itself taken over stops,
 * marking nothing. On failure the export says failed in its language, with what to do, and BullMQ
 * retries it (3 attempts).
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
    private readonly replica: ReadReplica,
  ) {}

  async handle(job: OutboxJobData<'order_sheet_export.requested'>): Promise<void> {
    const em = this.em.fork();
    const exportId = job.payload?.exportId;
    // Only "no such export" ends the job here; any other error (the database away) is BullMQ's to retry.
    const row = typeof exportId === 'string' ? await nullIfNotFound(ownOrderSheetExport(em, null, exportId)) : null;
    if (!row || row.status === 'done') {
      await em.transactional((tx) => this.outbox.markProcessed(tx, job.eventId));
      return;
    }
    const run = await OrderSheetExportRun.claim(em, row.id);
    if (!run) {
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
      const written = await this.write(em, row, run, timeZone, part);
      const name = orderSheetFileName(row, localTime(new Date(), timeZone).slice(0, 10));
      const finished = await em.transactional(async (tx) => {
        // Renamed once the row is ours and locked: a run taken over meanwhile never replaces the file of the run that took over.
        if (!(await run.finish(tx, { path, name, lines: written.lines, rows: written.rows }))) return false;
        await rename(part, path);
        await this.outbox.markProcessed(tx, job.eventId);
        return true;
      });
      if (!finished) throw new OrderSheetExportTakenOverError(row.id);
    } catch (error) {
      await rm(part, { force: true });
      if (error instanceof OrderSheetExportTakenOverError) {
        this.logger.warn({ exportId: row.id }, 'order sheet export taken over by another run: this run stops');
        return;
      }
      this.logger.error({ err: error, exportId: row.id }, 'order sheet export failed');
      if (!(await run.fail(em, orderSheetExportFailedMessage(row, error instanceof DomainError ? error.message : null)))) {
        this.logger.warn({ exportId: row.id }, 'order sheet export taken over by another run: its failure is not stored');
        return;
      }
      throw error instanceof DomainError ? new UnrecoverableError(error.message) : error;
    }
  }

  private async write(em: EntityManager, row: OrderSheetExportRow, run: OrderSheetExportRun, timeZone: string, part: string): Promise<{ lines: number; rows: number }> {
    const filters = filtersOf(row);
    // The lines are read on the read replica once it has caught up; the run's own row is the primary's.
    const reader = await this.replica.reader(em);
    await run.counted(em, await countOrderSheetLines(reader, row.merchant_id, filters));
    const output = createWriteStream(part);
    try {
      return await writeOrderSheet(
        reader,
        this.catalog,
        {
          supplierMerchantId: row.merchant_id,
          filters,
          language: row.language,
          timeZone,
          progress: (lines, rows) => run.progress(em, lines, rows),
        },
        output,
      );
    } catch (error) {
      output.destroy();
      throw error;
    }
  }
}
