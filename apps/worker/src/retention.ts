import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, pruneIdempotencyRecords, pruneProcessedOutboxEvents } from '@gongxiao/core';
import { pruneOrderSheetExportFiles, pruneOrderSheetExportPartFiles } from '@gongxiao/fulfillment';
import { pruneImportFiles } from '@gongxiao/imports';
import { pruneStockUpdateRequests } from '@gongxiao/inventory';
import { pruneEndedSessions } from '@gongxiao/merchants';
import { pruneFinishedWebhookDeliveries } from '@gongxiao/webhooks';

/** Batches one sweep deletes per table at most; the rest waits for the next sweep. */
const MAX_BATCHES_PER_SWEEP = 20;

export type RetentionCounts = Record<
  'outboxEvents' | 'webhookDeliveries' | 'sessions' | 'idempotencyRecords' | 'stockUpdateRequests' | 'importFiles' | 'orderSheetExportFiles' | 'orderSheetExportPartFiles',
  number
>;

/**
 * Deletes rows nobody needs any more, through each owner's prune function (the walls: this app
 * names no table): processed outbox events, finished webhook deliveries, ended sessions,
 * idempotency records, bulk stock updates' idempotency keys, the stored files of finished uploads and the order-sheet export files in
 * EXPORT_DIR older than their RETENTION_* age. Batch after batch, each in its own statement, so no
 * delete is huge; and the part files killed export runs left in EXPORT_DIR.
 */
@Injectable()
export class Retention {
  private readonly logger = new Logger('retention');

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  async prune(): Promise<RetentionCounts> {
    const {
      RETENTION_OUTBOX_DAYS,
      RETENTION_WEBHOOK_DELIVERY_DAYS,
      RETENTION_SESSION_DAYS,
      RETENTION_IDEMPOTENCY_DAYS,
      RETENTION_STOCK_UPDATE_DAYS,
      RETENTION_IMPORT_FILE_DAYS,
      RETENTION_EXPORT_FILE_DAYS,
    } = this.config;
    const batch = this.config.RETENTION_BATCH_SIZE;
    const counts: RetentionCounts = {
      outboxEvents: await this.repeat((em) => pruneProcessedOutboxEvents(em, RETENTION_OUTBOX_DAYS, batch)),
      webhookDeliveries: await this.repeat((em) => pruneFinishedWebhookDeliveries(em, RETENTION_WEBHOOK_DELIVERY_DAYS, batch)),
      sessions: await this.repeat((em) => pruneEndedSessions(em, RETENTION_SESSION_DAYS, batch)),
      idempotencyRecords: await this.repeat((em) => pruneIdempotencyRecords(em, RETENTION_IDEMPOTENCY_DAYS, batch)),
      stockUpdateRequests: await this.repeat((em) => pruneStockUpdateRequests(em, RETENTION_STOCK_UPDATE_DAYS, batch)),
      importFiles: await this.repeat((em) => pruneImportFiles(em, RETENTION_IMPORT_FILE_DAYS, batch)),
      orderSheetExportFiles: await this.repeat((em) => pruneOrderSheetExportFiles(em, RETENTION_EXPORT_FILE_DAYS, batch)),
      orderSheetExportPartFiles: await pruneOrderSheetExportPartFiles(this.config.EXPORT_DIR),
    };
    if (Object.values(counts).some((count) => count > 0)) this.logger.log(counts, 'pruned rows past their retention');
    return counts;
  }

  private async repeat(pruneBatch: (em: EntityManager) => Promise<number>): Promise<number> {
    let total = 0;
    for (let round = 0; round < MAX_BATCHES_PER_SWEEP; round++) {
      const deleted = await pruneBatch(this.orm.em.fork() as EntityManager);
      total += deleted;
      if (deleted < this.config.RETENTION_BATCH_SIZE) break;
    }
    return total;
  }
}
