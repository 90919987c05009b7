import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AppConfig, OutboxJobData, OutboxJobHandler, OutboxService, outgoingAllowListOf, postSignedEvent, RetryShortly, SignedPostOutcome } from '@gongxiao/core';
import { ChannelsService, PlatformCallsService, SystemShop } from '@gongxiao/channels';
import { ChangedListing, changedListingsOfShops, finishShopBatches, releaseShopLeases, takeShopLeases, Waves } from './shop-sync-store';

export { shopChangedListingsQuery } from './shop-sync-store';

/** Listings a shop is told of in one call (a shop with more changed gets several, in listing order). */
const BATCH = 1000;

/** A shop's callback did not take the update: BullMQ retries, and the retry sends the newest values. */
export class ShopStockSyncFailed extends Error {}

/**
 * Another worker is telling this shop right now: retried in well under a second (with jitter, so the
 * jobs waiting for one shop do not all come back at once), without spending an attempt; the lease
 * it waits for lasts seconds at most.
 */
export class ShopStockSyncBusy extends RetryShortly {
  constructor(message: string) {
    super(message, 250 + Math.floor(Math.random() * 500));
  }
}

/** What telling a group of shops came to: told, given up for good (with why), or to try again. */
interface Outcomes {
  told: Set<string>;
  blocked: Map<string, { error: string; detail?: string }>;
  retry: Error[];
}

/**
 * Tells shops what their listings may sell, coalesced: one signed POST to a shop carries every
 * listing whose availability changed since the shop was last told, each at its latest value and
 * version. The relay hands up to 50 shops' events to one job. For the shops with a callback URL,
 * the leases, changed listings and codes are one statement each for all of them, their POSTs go out
 * together, and each shop is finished as soon as it answered (those answering together in one
 * statement); shops on a platform are scheduled one after another. One sender per shop at a time (a
 * lease row, so no transaction stays open during the HTTP calls), and every batch re-reads the
 * current values, so an older value is never delivered after a newer one. Each shop's events are
 * done, failed for good or retried on their own: a shop that fails never fails the others of its
 * job.
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
    const events = [{ eventId: job.eventId, payload: job.payload }, ...(job.more ?? [])];
    // A retry of the job: the shops told the first time are done already.
    const pending = await this.outbox.pendingEventIds(
      this.em,
      events.map((event) => event.eventId),
    );
    const eventsOfShop = new Map<string, string[]>();
    for (const event of events.filter((event) => pending.has(event.eventId))) {
      eventsOfShop.set(event.payload.shopId, [...(eventsOfShop.get(event.payload.shopId) ?? []), event.eventId]);
    }
    if (eventsOfShop.size === 0) return;
    const shops = await this.channels.shopsForSystem([...eventsOfShop.keys()]);
    const outcomes: Outcomes = { told: new Set(), blocked: new Map(), retry: [] };
    for (const shopId of eventsOfShop.keys()) {
      const shop = shops.get(shopId);
      // A shop gone, or with no one to tell, has nothing to do.
      if (!shop || (shop.integration === 'native' && !shop.callbackUrl)) outcomes.told.add(shopId);
    }
    for (const shop of shops.values()) {
      if (shop.integration === 'native') continue;
      await this.tellPlatform(shop).then(
        () => outcomes.told.add(shop.id),
        (error: Error) => outcomes.retry.push(error),
      );
    }
    await this.tellCallbacks(
      [...shops.values()].filter((shop) => shop.integration === 'native' && shop.callbackUrl),
      outcomes,
    );
    await this.settle(eventsOfShop, outcomes);
  }

  /** Marks the told shops' events processed and the blocked ones' failed; then the job fails if any shop is to be tried again. */
  private async settle(eventsOfShop: Map<string, string[]>, outcomes: Outcomes): Promise<void> {
    const eventsOf = (shopIds: Iterable<string>) => [...shopIds].flatMap((shopId) => eventsOfShop.get(shopId) ?? []);
    await this.outbox.markAllProcessed(this.em, eventsOf(outcomes.told));
    for (const [shopId, { error, detail }] of outcomes.blocked) {
      // Waiting will not make the address reachable: this change is given up; the next one tries again.
      this.logger.warn({ shopId, error, detail }, 'shop stock sync refused: blocked destination');
      await this.outbox.markFailed(this.em, eventsOf([shopId]), `Shop ${shopId} stock sync: ${error}`);
    }
    if (outcomes.retry.length > 0) {
      // Only waiting in line (every shop left was busy) is retried shortly; a failed call backs off.
      const failure = outcomes.retry.find((error) => !(error instanceof ShopStockSyncBusy));
      const first = failure ?? outcomes.retry[0];
      const message = outcomes.retry.length === 1 ? first.message : `${first.message} (and ${outcomes.retry.length - 1} other shop(s))`;
      throw failure ? new ShopStockSyncFailed(message) : new ShopStockSyncBusy(message);
    }
  }

  /**
   * Shops with a callback URL: their leases taken together, then batch by batch their changed
   * listings read and POSTed at once. Each shop is finished as soon as its own callback answered
   * (sync marked; after its last batch, lease given up; the shops answering together in one
   * statement), whatever the others still wait for. A shop whose batch was full goes round again;
   * a short batch was its last (a change made after it was read raises an event of its own).
   */
  private async tellCallbacks(shops: SystemShop[], outcomes: Outcomes): Promise<void> {
    if (shops.length === 0) return;
    const holder = randomUUID();
    const leased = await takeShopLeases(
      this.em,
      shops.map((shop) => shop.id),
      holder,
      this.leaseSeconds(),
    );
    for (const shop of shops) if (!leased.has(shop.id)) outcomes.retry.push(new ShopStockSyncBusy(`Shop ${shop.id} is being told by another worker`));
    let active = shops.filter((shop) => leased.has(shop.id));
    try {
      while (active.length > 0) active = await this.tellBatch(active, holder, outcomes);
    } finally {
      // The shops not finished (a failed call, an error): a lease given up already stays given up (or another's).
      await releaseShopLeases(this.em, [...leased], holder);
    }
  }

  /** One batch for each shop: returns the shops that have more to be told. */
  private async tellBatch(shops: SystemShop[], holder: string, outcomes: Outcomes): Promise<SystemShop[]> {
    const changed = await changedListingsOfShops(this.em, shops, BATCH);
    const codes = await this.channels.shopSkuCodes(
      this.em,
      [...changed.values()].flat().map((row) => row.listingId),
    );
    // Renewed after the read, right before the POSTs: each send has a whole lease to answer in.
    const renewed = await takeShopLeases(
      this.em,
      shops.map((shop) => shop.id),
      holder,
      this.leaseSeconds(),
    );
    for (const shop of shops) if (!renewed.has(shop.id)) outcomes.retry.push(new ShopStockSyncBusy(`Shop ${shop.id}: the lease ran out`));
    const more: SystemShop[] = [];
    const finished = new Waves<{ shopId: string; rows: ChangedListing[]; release: boolean }>((batches) => finishShopBatches(this.em, batches, holder));
    const tell = async (shop: SystemShop) => {
      const rows = changed.get(shop.id) ?? [];
      const outcome = await this.post(shop, rows, codes);
      if (outcome && !outcome.ok) {
        if (outcome.blocked) outcomes.blocked.set(shop.id, { error: outcome.error, detail: outcome.detail });
        else {
          this.logger.warn({ shopId: shop.id, error: outcome.error, detail: outcome.detail, statusCode: outcome.statusCode }, 'shop stock sync failed; will retry with the latest values');
          outcomes.retry.push(new ShopStockSyncFailed(`Shop ${shop.id} stock sync: ${outcome.error}`));
        }
        return;
      }
      const last = rows.length < BATCH;
      await finished.add({ shopId: shop.id, rows, release: last });
      if (last) outcomes.told.add(shop.id);
      else more.push(shop);
    };
    // Every send answers before anything is given up: no POST of ours is still on its way once another worker may take the shop.
    const settled = await Promise.allSettled(shops.filter((shop) => renewed.has(shop.id)).map(tell));
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    return more;
  }

  /** One call's worth of time, twice over (a connect and an answer), and some. */
  private leaseSeconds(): number {
    return Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 2 + 5;
  }

  /** The signed POST of one shop's batch (none when nothing changed). */
  private async post(shop: SystemShop, rows: ChangedListing[], codes: Map<string, string>): Promise<SignedPostOutcome | null> {
    if (rows.length === 0) return null;
    const eventId = randomUUID();
    const body = {
      id: eventId,
      event: 'listing.availability_changed',
      createdAt: new Date().toISOString(),
      data: {
        shopId: shop.id,
        listings: rows.map((row) => ({ listingId: row.listingId, shopSkuCode: codes.get(row.listingId) ?? null, available: row.available, soldOut: row.available === 0, version: row.version })),
      },
    };
    return postSignedEvent(shop.callbackUrl!, shop.webhookSecret, 'listing.availability_changed', eventId, body, this.config.WEBHOOK_TIMEOUT_MS, outgoingAllowListOf(this.config));
  }

  /**
   * A shop on a platform is told in the platform's own API: each batch of changed listings becomes a
   * platform call (made and retried by channels) and counts as told in the same transaction, so a new
   * change makes a new call with the newest values. One scheduler per shop at a time (the lease); the
   * calls share the subject `stock:<shopId>`, so channels makes them in order (a retried older value
   * is sent before, never after, the newer one).
   */
  private async tellPlatform(shop: SystemShop): Promise<void> {
    const holder = randomUUID();
    if (!(await takeShopLeases(this.em, [shop.id], holder, this.leaseSeconds())).has(shop.id)) throw new ShopStockSyncBusy(`Shop ${shop.id} is being told by another worker`);
    try {
      for (;;) {
        const rows = (await changedListingsOfShops(this.em, [shop], BATCH)).get(shop.id) ?? [];
        if (rows.length === 0) break;
        const listings = await this.platformCalls.listingsForPlatform(
          this.em,
          rows.map((row) => row.listingId),
        );
        await this.em.transactional(async (em) => {
          await this.platformCalls.scheduleAll(em, [
            {
              merchantId: shop.merchantId,
              shopId: shop.id,
              kind: 'stock',
              // Named by what it carries: the same batch again (a retry) is the same call, newer values a new one.
              dedupKey: `stock:${shop.id}:${batchDigest(rows)}`,
              // One subject per shop: its stock calls are made one after another, so an older value retried never lands after a newer one.
              subjectId: `stock:${shop.id}`,
              payload: { listings: rows.map((row) => platformStockLine(row, listings.get(row.listingId))) },
            },
          ]);
          await finishShopBatches(em, [{ shopId: shop.id, rows, release: false }], holder);
        });
        if (rows.length < BATCH) break;
      }
    } finally {
      await releaseShopLeases(this.em, [shop.id], holder);
    }
  }
}

/** The listings and versions of a batch, digested: a name for exactly this content. */
function batchDigest(rows: ChangedListing[]): string {
  return createHash('sha256')
    .update(rows.map((row) => `${row.listingId}:${row.version}`).join(','))
    .digest('hex')
    .slice(0, 32);
}

function platformStockLine(
  row: ChangedListing,
  listing: { shopSkuCode: string; platformProductId: string | null; platformVariantId: string | null; platformInventoryItemId: string | null } | undefined,
) {
  return {
    listingId: row.listingId,
    shopSkuCode: listing?.shopSkuCode ?? '',
    available: row.available,
    platformProductId: listing?.platformProductId ?? null,
    platformVariantId: listing?.platformVariantId ?? null,
    platformInventoryItemId: listing?.platformInventoryItemId ?? null,
  };
}
