import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, OutboxJobData, OutboxJobHandler, OutboxService, postSignedEvent, sqlExec, sqlRows } from '@gongxiao/core';
import { ChannelsService } from '@gongxiao/channels';

const BATCH = 1000;

/** A shop's callback did not take the update: BullMQ retries, and the retry sends the newest values. */
export class ShopStockSyncFailed extends Error {}

/**
 * Tells a shop what its listings may sell, coalesced: one signed POST carries every listing whose
 * availability changed since the shop was last told, each at its latest value and version. One
 * sender per shop at a time (advisory lock), and every attempt re-reads the current values, so an
 * older value is never delivered after a newer one.
 */
@Injectable()
export class ShopStockSyncJob implements OutboxJobHandler<'shop_stock.stale'> {
  readonly eventType = 'shop_stock.stale' as const;
  private readonly logger = new Logger('shop-stock-sync');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly channels: ChannelsService,
    private readonly config: AppConfig,
  ) {}

  async handle(job: OutboxJobData<'shop_stock.stale'>): Promise<void> {
    const shopId = job.payload.shopId;
    await this.em.transactional(async (em) => {
      if (!(await this.outbox.markProcessed(em, job.eventId))) return;
      await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended(?, 7))`, [`shop-stock:${shopId}`]);
      await this.outbox.takePending(em, 'shop_stock.stale', job.eventId, 1000, { key: 'shopId', value: shopId });
      const shop = await this.channels.shopForSystem(shopId);
      if (!shop?.callbackUrl) return;
      for (;;) {
        const rows = await sqlRows<{ listing_id: string; available: number; version: string }>(
          em,
          `select a.listing_id::text as listing_id, a.available, a.version::text as version
             from listing_availability a left join listing_sync s on s.listing_id = a.listing_id
            where a.shop_id = ? and a.version > coalesce(s.synced_version, 0) order by a.listing_id limit ?`,
          [shopId, BATCH],
        );
        if (rows.length === 0) return;
        const codes = await this.channels.shopSkuCodes(em, rows.map((row) => row.listing_id));
        const eventId = randomUUID();
        const outcome = await postSignedEvent(
          shop.callbackUrl,
          shop.webhookSecret,
          'listing.availability_changed',
          eventId,
          {
            id: eventId,
            event: 'listing.availability_changed',
            createdAt: new Date().toISOString(),
            data: {
              shopId,
              listings: rows.map((row) => ({ listingId: row.listing_id, shopSkuCode: codes.get(row.listing_id) ?? null, available: row.available, soldOut: row.available === 0, version: row.version })),
            },
          },
          this.config.WEBHOOK_TIMEOUT_MS,
        );
        if (!outcome.ok) {
          this.logger.warn({ shopId, error: outcome.error }, 'shop stock sync failed; will retry with the latest values');
          throw new ShopStockSyncFailed(`Shop ${shopId} stock sync: ${outcome.error}`);
        }
        await sqlExec(
          em,
          `insert into listing_sync (listing_id, shop_id, synced_version)
           select r.listing_id, ?, r.version from unnest(?::bigint[], ?::bigint[]) as r(listing_id, version)
           on conflict (listing_id) do update set synced_version = greatest(listing_sync.synced_version, excluded.synced_version), synced_at = now()`,
          [shopId, rows.map((row) => row.listing_id), rows.map((row) => row.version)],
        );
        if (rows.length < BATCH) return;
      }
    });
  }
}
