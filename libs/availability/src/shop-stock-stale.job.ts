import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig, OutboxJobData, OutboxJobHandler, OutboxService, outgoingAllowListOf, postSignedEvent, sqlExec, sqlOne, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { ChannelsService, PlatformCallsService, SystemShop } from '@gongxiao/channels';

const BATCH = 1000;

/**
 * Listings of the shop whose availability changed since the shop was last told, at their latest
 * values, in listing id order: the shop's rows through `(merchant_id, shop_id, listing_id)`, each
 * looked up in listing_sync by its key (a join would read all of listing_sync for every shop told).
 */
export function shopChangedListingsQuery(shop: { id: string; merchantId: string }, limit: number): { sql: string; params: unknown[] } {
  return {
    sql: `select a.listing_id::text as listing_id, a.available, a.version::text as version
            from listing_availability a
           where a.merchant_id = ? and a.shop_id = ?
             and a.version > coalesce((select s.synced_version from listing_sync s where s.listing_id = a.listing_id), 0)
           order by a.listing_id limit ?`,
    params: [shop.merchantId, shop.id, limit],
  };
}

/** A shop's callback did not take the update: BullMQ retries, and the retry sends the newest values. */
export class ShopStockSyncFailed extends Error {}

/** Another worker is telling this shop right now (and will send these changes too): retried shortly. */
export class ShopStockSyncBusy extends Error {}

/**
 * Tells a shop what its listings may sell, coalesced: one signed POST carries every listing whose
 * availability changed since the shop was last told, each at its latest value and version. One
 * sender per shop at a time (a lease row, so no transaction stays open during the HTTP call), and
 * every batch re-reads the current values, so an older value is never delivered after a newer one.
 */
@Injectable()
export class ShopStockStaleJob implements OutboxJobHandler<'shop_stock.stale'> {
  readonly eventType = 'shop_stock.stale' as const;
  private readonly logger = new Logger('shop-stock-sync');

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly channels: ChannelsService,
    private readonly config: AppConfig,
    private readonly platformCalls: PlatformCallsService,
  ) {}

  async handle(job: OutboxJobData<'shop_stock.stale'>): Promise<void> {
    const shopId = job.payload.shopId;
    const shop = await this.channels.shopForSystem(shopId);
    if (shop && shop.integration !== 'native') {
      await this.tellPlatform(shop, job.eventId);
    } else if (shop?.callbackUrl) {
      const holder = randomUUID();
      if (!(await this.takeLease(shopId, holder))) throw new ShopStockSyncBusy(`Shop ${shopId} is being told by another worker`);
      try {
        for (let batch = 0; ; batch++) {
          if (batch > 0 && !(await this.takeLease(shopId, holder))) throw new ShopStockSyncBusy(`Shop ${shopId}: the lease ran out`);
          const rows = await this.changedListings(shop);
          if (rows.length === 0) break;
          const codes = await this.channels.shopSkuCodes(
            this.em,
            rows.map((row) => row.listing_id),
          );
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
                listings: rows.map((row) => ({
                  listingId: row.listing_id,
                  shopSkuCode: codes.get(row.listing_id) ?? null,
                  available: row.available,
                  soldOut: row.available === 0,
                  version: row.version,
                })),
              },
            },
            this.config.WEBHOOK_TIMEOUT_MS,
            outgoingAllowListOf(this.config),
          );
          if (!outcome.ok && outcome.blocked) {
            // Waiting will not make the address reachable: this change is given up; the next one tries again.
            this.logger.warn({ shopId, error: outcome.error, detail: outcome.detail }, 'shop stock sync refused: blocked destination');
            throw new UnrecoverableError(`Shop ${shopId} stock sync: ${outcome.error}`);
          }
          if (!outcome.ok) {
            this.logger.warn({ shopId, error: outcome.error, detail: outcome.detail, statusCode: outcome.statusCode }, 'shop stock sync failed; will retry with the latest values');
            throw new ShopStockSyncFailed(`Shop ${shopId} stock sync: ${outcome.error}`);
          }
          await this.markSynced(this.em, shopId, rows);
          // A short batch was the last: a change made after it was read raises an event of its own.
          if (rows.length < BATCH) break;
        }
      } finally {
        await sqlExec(this.em, `update shop_sync_lease set lease_until = now() where shop_id = ? and holder = ?`, [shopId, holder]);
      }
    }
    await this.em.transactional((em) => this.outbox.markProcessed(em, job.eventId));
  }

  /**
   * A shop on a platform is told in the platform's own API: each batch of changed listings becomes a
   * platform call (made and retried by channels) and counts as told in the same transaction, so a new
   * change makes a new call with the newest values. One scheduler per shop at a time (the lease); the
   * calls share the subject `stock:<shopId>`, so channels makes them in order (a retried older value
   * is sent before, never after, the newer one).
   */
  private async tellPlatform(shop: SystemShop, eventId: string): Promise<void> {
    const holder = randomUUID();
    if (!(await this.takeLease(shop.id, holder))) throw new ShopStockSyncBusy(`Shop ${shop.id} is being told by another worker`);
    try {
      for (let batch = 0; ; batch++) {
        const rows = await this.changedListings(shop);
        if (rows.length === 0) break;
        const listings = await this.platformCalls.listingsForPlatform(
          this.em,
          rows.map((row) => row.listing_id),
        );
        await this.em.transactional(async (em) => {
          await this.platformCalls.scheduleAll(em, [
            {
              merchantId: shop.merchantId,
              shopId: shop.id,
              kind: 'stock',
              dedupKey: `stock:${shop.id}:${eventId}:${batch}`,
              // One subject per shop: its stock calls are made one after another, so an older value retried never lands after a newer one.
              subjectId: `stock:${shop.id}`,
              payload: {
                listings: rows.map((row) => {
                  const listing = listings.get(row.listing_id);
                  return {
                    listingId: row.listing_id,
                    shopSkuCode: listing?.shopSkuCode ?? '',
                    available: row.available,
                    platformProductId: listing?.platformProductId ?? null,
                    platformVariantId: listing?.platformVariantId ?? null,
                    platformInventoryItemId: listing?.platformInventoryItemId ?? null,
                  };
                }),
              },
            },
          ]);
          await this.markSynced(em, shop.id, rows);
        });
        if (rows.length < BATCH) break;
      }
    } finally {
      await sqlExec(this.em, `update shop_sync_lease set lease_until = now() where shop_id = ? and holder = ?`, [shop.id, holder]);
    }
  }

  private changedListings(shop: { id: string; merchantId: string }): Promise<{ listing_id: string; available: number; version: string }[]> {
    const { sql, params } = shopChangedListingsQuery(shop, BATCH);
    return sqlRows<{ listing_id: string; available: number; version: string }>(this.em, sql, params);
  }

  private async markSynced(em: EntityManager, shopId: string, rows: { listing_id: string; version: string }[]): Promise<void> {
    await sqlExec(
      em,
      `insert into listing_sync (listing_id, shop_id, synced_version)
       select r.listing_id, ?, r.version from unnest(?::bigint[], ?::bigint[]) as r(listing_id, version)
       on conflict (listing_id) do update set synced_version = greatest(listing_sync.synced_version, excluded.synced_version), synced_at = now()`,
      [shopId, rows.map((row) => row.listing_id), rows.map((row) => row.version)],
    );
  }

  /** Takes (or renews) the shop's lease for one call's worth of time; false while another holds it. */
  private async takeLease(shopId: string, holder: string): Promise<boolean> {
    const seconds = Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 2 + 5;
    const row = await sqlOne(
      this.em,
      `insert into shop_sync_lease (shop_id, holder, lease_until) values (?, ?, now() + make_interval(secs => ?))
       on conflict (shop_id) do update set holder = excluded.holder, lease_until = excluded.lease_until
        where shop_sync_lease.lease_until < now() or shop_sync_lease.holder = excluded.holder
       returning 1 as taken`,
      [shopId, holder, seconds],
    );
    return Boolean(row);
  }
}
