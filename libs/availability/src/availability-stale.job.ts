import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxEventPayloads, OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { ChannelsService } from '@gongxiao/channels';
import { InventoryService } from '@gongxiao/inventory';
import { OffersService } from '@gongxiao/offers';
import { AvailabilityService } from './availability.service';

/**
 * Something that decides what listings may sell changed: takes every pending `availability.stale`
 * event at once (coalescing), works out the origin SKUs they touch, and recomputes the listings
 * selling them, in one transaction with the events marked processed.
 */
@Injectable()
export class AvailabilityStaleJob implements OutboxJobHandler<'availability.stale'> {
  readonly eventType = 'availability.stale' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly availability: AvailabilityService,
    private readonly channels: ChannelsService,
    private readonly inventory: InventoryService,
    private readonly offers: OffersService,
  ) {}

  async handle(job: OutboxJobData<'availability.stale'>): Promise<void> {
    await this.em.transactional(async (em) => {
      if (!(await this.outbox.markProcessed(em, job.eventId))) return;
      const payloads = [job.payload, ...(await this.outbox.takePending(em, 'availability.stale', job.eventId))];
      await this.availability.recompute(em, await this.skusTouched(em, payloads));
    });
  }

  /** The origin SKUs whose listings these events may have changed. */
  private async skusTouched(em: EntityManager, payloads: OutboxEventPayloads['availability.stale'][]): Promise<string[]> {
    const skuIds = new Set(payloads.flatMap((payload) => payload.skuIds ?? []));
    const sellers = [...new Set(payloads.map((payload) => payload.sellerMerchantId).filter((id): id is string => Boolean(id)))];
    for (const seller of sellers) for (const skuId of await this.offers.originSkus(em, { sellerMerchantId: seller })) skuIds.add(skuId);
    const owners = [...new Set(payloads.map((payload) => payload.ownSkusOfMerchantId).filter((id): id is string => Boolean(id)))];
    for (const owner of owners) for (const skuId of await this.inventory.skusInStock(em, owner)) skuIds.add(skuId);
    const listingIds = payloads.flatMap((payload) => payload.listingIds ?? []);
    if (listingIds.length > 0) {
      const listings = await this.channels.listingsSelling(em, { listingIds });
      listings.filter((listing) => listing.skuId).forEach((listing) => skuIds.add(listing.skuId!));
      const offerIds = listings.map((listing) => listing.offerId).filter((id): id is string => id !== null);
      for (const skuId of await this.offers.originSkus(em, { offerIds })) skuIds.add(skuId);
    }
    return [...skuIds];
  }
}
