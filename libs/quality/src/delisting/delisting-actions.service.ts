import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxService, sqlExec, sqlRows } from '@gongxiao/core';
import { listingHoldersOfOffers, pauseListingsForDelisting, resumeListingsOfDelisting } from '@gongxiao/channels';
import { directBuyersOfOffers, offersOfOriginSkusSoldTo, reinstateOffersOfDelisting, suspendOffersForDelistings } from '@gongxiao/offers';
import { SubscribableEvent, WebhooksService } from '@gongxiao/webhooks';
import { DelistingEvidenceDto } from './delisting.dto';

export interface Firing {
  ruleId: string;
  merchantId: string;
  skuId: string;
  target: 'listings' | 'offers';
  action: 'suspend' | 'warn_only';
  evidence: DelistingEvidenceDto;
}

interface Recorded extends Firing {
  id: string;
}

/** What a partner is told: the figures and the window, never the owner's order ids, rule or another hop's prices. */
const partnerView = (delistingId: string, skuId: string, evidence: DelistingEvidenceDto, own: Record<string, unknown>) => ({
  delistingId,
  skuId,
  metric: evidence.metric,
  valuePercent: evidence.valuePercent,
  thresholdPercent: evidence.thresholdPercent,
  numerator: evidence.numerator,
  denominator: evidence.denominator,
  ordersCounted: evidence.ordersCounted,
  windowFrom: evidence.windowFrom,
  windowTo: evidence.windowTo,
  ...own,
});

/**
 * What a firing does and what a reinstatement undoes: the delisting row (once per rule × SKU while active),
 * the owner's offers suspended or its listings paused (in their libraries, `availability.stale` in the same
 * transaction so shops are told through the stock sync), and the events to the owner and its direct
 * partners on the affected hop. Routed orders are never touched.
 */
@Injectable()
export class DelistingActionsService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhooksService,
  ) {}

  async fire(em: EntityManager, firings: Firing[]): Promise<string[]> {
    if (firings.length === 0) return [];
    const rows = await sqlRows<{ id: string; rule_id: string; sku_id: string }>(
      em,
      `insert into delisting (rule_id, merchant_id, sku_id, status, evidence)
       select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::jsonb[])
       on conflict (rule_id, sku_id) where status <> 'reinstated' do nothing
       returning id::text, rule_id::text, sku_id::text`,
      [
        firings.map((firing) => firing.ruleId),
        firings.map((firing) => firing.merchantId),
        firings.map((firing) => firing.skuId),
        firings.map((firing) => (firing.action === 'suspend' ? 'suspended' : 'warned')),
        firings.map((firing) => JSON.stringify(firing.evidence)),
      ],
    );
    const recorded: Recorded[] = rows.map((row) => ({ ...firings.find((firing) => firing.ruleId === row.rule_id && firing.skuId === row.sku_id)!, id: row.id }));
    for (const delisting of recorded) {
      if (delisting.action === 'warn_only') {
        await this.webhooks.publish(em, [delisting.merchantId], 'quality.warning', delisting.id, `quality-warning:${delisting.id}`, () => ({
          delistingId: delisting.id,
          ruleId: delisting.ruleId,
          skuId: delisting.skuId,
          target: delisting.target,
          evidence: delisting.evidence,
        }));
      } else if (delisting.target === 'offers') await this.suspendOffers(em, delisting);
      else await this.pauseListings(em, delisting);
    }
    return recorded.map((delisting) => delisting.id);
  }

  /** Undoes exactly what the delisting suspended (the caller marked it reinstated). */
  async reinstate(em: EntityManager, delisting: { id: string; merchantId: string; skuId: string; target: string; evidence: DelistingEvidenceDto; reason: string }): Promise<void> {
    const own = { delistingId: delisting.id, skuId: delisting.skuId, reason: delisting.reason };
    if (delisting.target === 'offers') {
      const offers = await reinstateOffersOfDelisting(em, delisting.id);
      const offerIds = offers.map((offer) => offer.offerId);
      if (offerIds.length) await this.stale(em, delisting.merchantId, delisting.id, { skuIds: [delisting.skuId] });
      await this.tell(em, 'offer.reinstated', delisting, { ...own, offerIds }, await this.offerPartners(em, offerIds), { offerIds, reason: delisting.reason });
      return;
    }
    const listings = await resumeListingsOfDelisting(em, delisting.id);
    const listingIds = listings.map((listing) => listing.listingId);
    if (listingIds.length) await this.stale(em, delisting.merchantId, delisting.id, { listingIds });
    const sellers = await this.sellersOf(
      em,
      delisting.merchantId,
      delisting.skuId,
      listings.map((listing) => listing.offerId),
    );
    await this.tell(em, 'listing.reinstated', delisting, { ...own, listingIds }, sellers, { reason: delisting.reason });
  }

  private async suspendOffers(em: EntityManager, delisting: Recorded): Promise<void> {
    const offers = await suspendOffersForDelistings(em, [{ delistingId: delisting.id, sellerMerchantId: delisting.merchantId, originSkuId: delisting.skuId }]);
    const offerIds = offers.map((offer) => offer.offerId);
    await sqlExec(em, `update delisting set suspended_offer_ids = ?::bigint[] where id = ?`, [offerIds, delisting.id]);
    if (offerIds.length) await this.stale(em, delisting.merchantId, delisting.id, { skuIds: [delisting.skuId] });
    await this.tell(
      em,
      'offer.delisted',
      delisting,
      { delistingId: delisting.id, ruleId: delisting.ruleId, skuId: delisting.skuId, offerIds, evidence: delisting.evidence },
      await this.offerPartners(em, offerIds),
      {
        offerIds,
      },
    );
  }

  private async pauseListings(em: EntityManager, delisting: Recorded): Promise<void> {
    const offers = await offersOfOriginSkusSoldTo(em, [{ buyerMerchantId: delisting.merchantId, originSkuId: delisting.skuId }]);
    const listings = await pauseListingsForDelisting(em, { delistingId: delisting.id, merchantId: delisting.merchantId, skuId: delisting.skuId, offerIds: offers.map((offer) => offer.offerId) });
    const listingIds = listings.map((listing) => listing.listingId);
    await sqlExec(em, `update delisting set paused_listing_ids = ?::bigint[] where id = ?`, [listingIds, delisting.id]);
    if (listingIds.length) await this.stale(em, delisting.merchantId, delisting.id, { listingIds });
    const sellers = await this.sellersOf(
      em,
      delisting.merchantId,
      delisting.skuId,
      listings.map((listing) => listing.offerId),
    );
    await this.tell(em, 'listing.delisted', delisting, { delistingId: delisting.id, ruleId: delisting.ruleId, skuId: delisting.skuId, listingIds, evidence: delisting.evidence }, sellers, {});
  }

  /** Who buys the suspended offers directly: who they are offered to, who re-shares them, who lists them. */
  private async offerPartners(em: EntityManager, offerIds: string[]): Promise<string[]> {
    const buyers = [...(await directBuyersOfOffers(em, offerIds)).values()].flat();
    return [...new Set([...buyers, ...(await listingHoldersOfOffers(em, offerIds))])];
  }

  /** The sellers the owner buys the paused listings' goods from (its direct upstream). */
  private async sellersOf(em: EntityManager, ownerId: string, skuId: string, offerIds: (string | null)[]): Promise<string[]> {
    const wanted = new Set(offerIds.filter((id): id is string => id !== null));
    const offers = await offersOfOriginSkusSoldTo(em, [{ buyerMerchantId: ownerId, originSkuId: skuId }]);
    return [...new Set(offers.filter((offer) => wanted.has(offer.offerId)).map((offer) => offer.sellerMerchantId))].filter((id) => id !== ownerId);
  }

  private async tell(
    em: EntityManager,
    event: SubscribableEvent,
    delisting: { id: string; merchantId: string; skuId: string; evidence: DelistingEvidenceDto },
    ownerData: Record<string, unknown>,
    partners: string[],
    partnerData: Record<string, unknown>,
  ): Promise<void> {
    const others = partners.filter((id) => id !== delisting.merchantId);
    await this.webhooks.publish(em, [delisting.merchantId, ...others], event, delisting.id, `${event}:${delisting.id}`, (merchantId) =>
      merchantId === delisting.merchantId ? ownerData : partnerView(delisting.id, delisting.skuId, delisting.evidence, partnerData),
    );
  }

  private async stale(em: EntityManager, merchantId: string, delistingId: string, payload: { skuIds?: string[]; listingIds?: string[] }): Promise<void> {
    await this.outbox.append(em, [{ type: 'availability.stale', merchantId, aggregateId: `delisting:${delistingId}`, payload }]);
  }
}
