import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  decodeIdCursor,
  DomainError,
  isId,
  NotFoundError,
  OutboxEventPayloads,
  OutboxService,
  Page,
  PageQueryDto,
  pageWindow,
  sqlExec,
  sqlOne,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { ChannelsService } from '@gongxiao/channels';
import { InventoryService } from '@gongxiao/inventory';
import { madeToOrderFigure, OfferLink, OfferMadeToOrderService, OffersService } from '@gongxiao/offers';
import { PartnershipsService } from '@gongxiao/partnerships';
import { AllocationCapResponseDto, ListingAvailabilityResponseDto, ListListingAvailabilityQueryDto, SetAllocationCapDto } from './availability.dto';
import { AllocationCap, AvailabilityHop, availableAlongChain, chainOfListing } from './chain-availability';
import { StockAlertsService } from './stock-alerts.service';

interface CapRow {
  id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  sku_id: string | null;
  kind: 'fixed' | 'percent';
  value: number;
  updated_at: Date;
}

function toCapResponse(row: CapRow): AllocationCapResponseDto {
  return {
    id: String(row.id),
    buyerMerchantId: String(row.buyer_merchant_id),
    skuId: row.sku_id === null ? null : String(row.sku_id),
    kind: row.kind,
    value: row.value,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Caps by "seller:buyer:sku", with "seller:buyer:*" for caps on every SKU. */
export type CapIndex = Map<string, AllocationCap>;

export function capLookup(caps: CapIndex, skuId: string) {
  return (seller: string, buyer: string) => caps.get(`${seller}:${buyer}:${skuId}`) ?? caps.get(`${seller}:${buyer}:*`);
}

/**
 * What every listing may sell: its origin SKU's available units across the supplier's active
 * warehouses, then the minimum along its chain after every hop's allocation cap; 0 when a hop is
 * closed (offer withdrawn, partnership suspended) or the listing is paused. Recomputed set-based
 * when anything that decides it changes (coalesced), and pulled by shops and distributors.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly catalog: CatalogService,
    private readonly channels: ChannelsService,
    private readonly inventory: InventoryService,
    private readonly offers: OffersService,
    private readonly madeToOrder: OfferMadeToOrderService,
    private readonly partnerships: PartnershipsService,
    private readonly stockAlerts: StockAlertsService,
  ) {}

  async setCap(actor: ActorContext, input: SetAllocationCapDto): Promise<AllocationCapResponseDto> {
    if ((input.fixed === undefined) === (input.percent === undefined)) {
      throw new ValidationFailedError('Give either fixed (units) or percent.', [{ field: input.fixed === undefined ? 'fixed' : 'percent', reason: 'exactly one of fixed and percent is required' }]);
    }
    if (input.buyerMerchantId === actor.merchantId || !(await this.partnerships.isActive(actor.merchantId, input.buyerMerchantId))) {
      throw new DomainError('invalid', 'not_an_active_partner', `Merchant ${input.buyerMerchantId} is not your active downstream partner.`, [
        { field: 'buyerMerchantId', reason: 'not an active downstream partner' },
      ]);
    }
    if (input.skuId && !(await this.offers.canSellSku(actor, input.skuId))) {
      throw new DomainError('not_found', 'sku_not_found', `SKU ${input.skuId} is neither yours nor offered to you.`, [{ field: 'skuId', reason: 'not a SKU you can sell' }]);
    }
    return this.em.transactional(async (em) => {
      const row = (await sqlOne<CapRow>(
        em,
        `insert into allocation_cap (seller_merchant_id, buyer_merchant_id, sku_id, kind, value) values (?, ?, ?, ?, ?)
         on conflict (seller_merchant_id, buyer_merchant_id, coalesce(sku_id, 0)) do update set kind = excluded.kind, value = excluded.value, updated_at = now()
         returning *`,
        [actor.merchantId, input.buyerMerchantId, input.skuId ?? null, input.fixed !== undefined ? 'fixed' : 'percent', input.fixed ?? input.percent],
      ))!;
      await this.stale(em, actor.merchantId, row.sku_id === null ? { sellerMerchantId: actor.merchantId } : { skuIds: [String(row.sku_id)] });
      return toCapResponse(row);
    });
  }

  async listCaps(actor: ActorContext, query: PageQueryDto): Promise<Page<AllocationCapResponseDto>> {
    const { limit, after } = pageWindow(query);
    const rows = await sqlRows<CapRow>(this.em, `select * from allocation_cap where seller_merchant_id = ? and (?::bigint is null or id > ?::bigint) order by id limit ?`, [
      actor.merchantId,
      after,
      after,
      limit + 1,
    ]);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      toCapResponse,
    );
  }

  async deleteCap(actor: ActorContext, capId: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const row = isId(capId) ? await sqlOne<CapRow>(em, `delete from allocation_cap where id = ? and seller_merchant_id = ? returning *`, [capId, actor.merchantId]) : undefined;
      if (!row) throw new NotFoundError('allocation cap', capId);
      await this.stale(em, actor.merchantId, row.sku_id === null ? { sellerMerchantId: actor.merchantId } : { skuIds: [String(row.sku_id)] });
    });
  }

  /** Current availability of the acting merchant's listings (for shops and ERPs to pull). */
  async listListings(actor: ActorContext, query: ListListingAvailabilityQueryDto): Promise<Page<ListingAvailabilityResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const rows = await sqlRows<{ id: string; listing_id: string; shop_id: string; available: number; version: string; updated_at: Date }>(
      this.em,
      `select listing_id as id, listing_id, shop_id, available, version, updated_at from listing_availability
        where merchant_id = ? and (?::bigint is null or shop_id = ?::bigint) and (?::timestamptz is null or updated_at >= ?::timestamptz)
          and (?::bigint is null or listing_id > ?::bigint)
        order by listing_id limit ?`,
      [actor.merchantId, query.shopId ?? null, query.shopId ?? null, query.updatedSince ?? null, query.updatedSince ?? null, after, after, limit + 1],
    );
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      (row) => ({
        listingId: String(row.listing_id),
        shopId: String(row.shop_id),
        available: row.available,
        soldOut: row.available === 0,
        version: String(row.version),
        updatedAt: new Date(row.updated_at).toISOString(),
      }),
    );
  }

  /** Records that availability must be recomputed, in the caller's transaction. */
  async stale(em: EntityManager, merchantId: string, payload: OutboxEventPayloads['availability.stale']): Promise<void> {
    await this.outbox.append(em, [{ type: 'availability.stale', merchantId, aggregateId: `availability:${merchantId}`, payload }]);
  }

  /**
   * Recomputes every listing selling these origin SKUs; stores only values that changed (with a
   * higher version). Returns the listings whose availability changed.
   */
  async recompute(em: EntityManager, skuIds: string[]): Promise<{ listingId: string; available: number }[]> {
    if (skuIds.length === 0) return [];
    // One recompute per SKU at a time (locks taken in SKU order): a later recompute reads the stock
    // after an earlier one committed, so an older figure can never overwrite a newer one.
    await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended('availability:' || sku, 0)) from unnest(?::bigint[]) as sku order by sku`, [
      [...skuIds].sort((a, b) => Number(BigInt(a) - BigInt(b))),
    ]);
    const offers = await this.offers.offersOfOriginSkus(em, skuIds);
    const offerById = new Map(offers.map((offer) => [offer.id, offer]));
    const listings = await this.channels.listingsSelling(em, { offerIds: offers.map((offer) => offer.id), skuIds });
    const originAvailable = await this.originAvailable(em, skuIds);

    // Thousands of listings share a chain (the same buyer of the same offer): each chain is worked out once.
    const chains = new Map<string, { skuId: string; hops: (AvailabilityHop & { offer: OfferLink })[] }>();
    for (const listing of listings) {
      const key = chainKey(listing);
      if (!chains.has(key)) chains.set(key, chainOfListing(listing, offerById));
    }
    const pairs = distinctPairs([...chains.values()].flatMap((chain) => chain.hops.map((hop) => ({ upstreamMerchantId: hop.sellerMerchantId, downstreamMerchantId: hop.buyerMerchantId }))));
    const active = await this.partnerships.activePairs(pairs);
    const caps = await this.capsFor(em, pairs);
    const originFigure = await this.originFigures(em, [...chains.values()], originAvailable);
    const figures = new Map<string, { open: boolean; available: number }>();
    for (const [key, chain] of chains) {
      const hops = chain.hops.map((hop) => ({ ...hop, open: hop.open && active.has(`${hop.sellerMerchantId}:${hop.buyerMerchantId}`) }));
      figures.set(key, { open: hops.every((hop) => hop.open), available: availableAlongChain(originFigure(chain), hops, capLookup(caps, chain.skuId)) });
    }
    // Only merchants that can sell the goods now (every hop of their chain open) hear about its stock.
    const openListings = listings.filter((listing) => figures.get(chainKey(listing))!.open);
    await this.stockAlerts.raise(em, skuIds, originAvailable, openListings, offerById);
    if (listings.length === 0) return [];

    // In listing id order. The rows a recompute writes are its SKUs' listings alone, and the recomputes of a SKU
    // take turns (the advisory locks above), so two of them never lock the same rows in different orders.
    listings.sort((a, b) => compareIds(a.listingId, b.listingId));
    const values = listings.map((listing) => ({ listing, available: listing.status === 'active' ? figures.get(chainKey(listing))!.available : 0 }));
    const changed = await sqlRows<{ listing_id: string; available: number }>(em, STORE_AVAILABILITY, [
      values.map((v) => v.listing.listingId),
      values.map((v) => v.listing.merchantId),
      values.map((v) => v.listing.shopId),
      values.map((v) => v.available),
    ]);
    const changedListings = new Set(changed.map((row) => String(row.listing_id)));
    const shopIds = [...new Set(values.filter((value) => changedListings.has(value.listing.listingId)).map((value) => value.listing.shopId))];
    const shopsToTell = await this.channels.shopsWithCallbacks(em, shopIds);
    await this.outbox.append(
      em,
      shopsToTell.map((shop) => ({ type: 'shop_stock.stale' as const, merchantId: shop.merchantId, aggregateId: `shop:${shop.id}`, payload: { shopId: shop.id } })),
    );
    return changed.map((row) => ({ listingId: String(row.listing_id), available: row.available }));
  }

  /** What a buyer may sell of each offer available to it now: the minimum along the offer's chain. */
  async availableForOffers(buyerMerchantId: string, offerIds: string[]): Promise<Map<string, number>> {
    if (offerIds.length === 0) return new Map();
    const em = this.em;
    const skuIds = await this.offers.originSkus(em, { offerIds });
    const offers = await this.offers.offersOfOriginSkus(em, skuIds);
    const offerById = new Map(offers.map((offer) => [offer.id, offer]));
    const chains = offerIds.map((offerId) => ({
      offerId,
      ...chainOfListing({ merchantId: buyerMerchantId, offerId, skuId: null }, offerById),
    }));
    const pairs = distinctPairs(chains.flatMap((chain) => chain.hops.map((hop) => ({ upstreamMerchantId: hop.sellerMerchantId, downstreamMerchantId: hop.buyerMerchantId }))));
    const active = await this.partnerships.activePairs(pairs);
    const caps = await this.capsFor(em, pairs);
    const originAvailable = await this.originAvailable(em, skuIds);
    const originFigure = await this.originFigures(em, chains, originAvailable);
    return new Map(
      chains.map((chain) => {
        const hops = chain.hops.map((hop) => ({ ...hop, open: hop.open && active.has(`${hop.sellerMerchantId}:${hop.buyerMerchantId}`) }));
        return [chain.offerId, availableAlongChain(originFigure(chain), hops, capLookup(caps, chain.skuId))];
      }),
    );
  }

  /** Caps on these (seller, buyer) pairs, in the caller's transaction. */
  async capsFor(em: EntityManager, pairs: { upstreamMerchantId: string; downstreamMerchantId: string }[]): Promise<CapIndex> {
    if (pairs.length === 0) return new Map();
    const rows = await sqlRows<CapRow>(
      em,
      `select c.* from allocation_cap c join (select distinct * from unnest(?::bigint[], ?::bigint[]) as r(s, b)) r on c.seller_merchant_id = r.s and c.buyer_merchant_id = r.b`,
      [pairs.map((pair) => pair.upstreamMerchantId), pairs.map((pair) => pair.downstreamMerchantId)],
    );
    return new Map(rows.map((row) => [`${row.seller_merchant_id}:${row.buyer_merchant_id}:${row.sku_id ?? '*'}`, { kind: row.kind, value: row.value }]));
  }

  /**
   * What each chain's origin offers: the origin SKU's available stock, or, for a made-to-order origin
   * offer, its stated figure (one run's maximum batch, else 9,999): nothing is in stock to count.
   */
  private async originFigures(
    em: EntityManager,
    chains: { skuId: string; hops: { offer: OfferLink }[] }[],
    originAvailable: Map<string, number>,
  ): Promise<(chain: { skuId: string; hops: { offer: OfferLink }[] }) => number> {
    const originOf = (chain: { hops: { offer: OfferLink }[] }) => (chain.hops.length ? chain.hops[chain.hops.length - 1].offer : undefined);
    const origins = chains.flatMap((chain) => {
      const origin = originOf(chain);
      return origin && origin.upstreamOfferId === null ? [origin.id] : [];
    });
    const terms = await this.madeToOrder.madeToOrderOfOrigins(em, [...new Set(origins)]);
    return (chain) => {
      const made = terms.get(originOf(chain)?.id ?? '');
      return made ? madeToOrderFigure(made) : (originAvailable.get(chain.skuId) ?? 0);
    };
  }

  /** Available units of each SKU across its supplier's active warehouses. */
  async originAvailable(em: EntityManager, skuIds: string[]): Promise<Map<string, number>> {
    const rows = await this.inventory.availability(em, skuIds);
    const warehouses = await this.catalog.warehousesById(rows.map((row) => row.warehouseId));
    const totals = new Map<string, number>();
    for (const row of rows) {
      if (warehouses.get(row.warehouseId)?.status !== 'active') continue;
      totals.set(row.skuId, (totals.get(row.skuId) ?? 0) + row.available);
    }
    return totals;
  }
}

/**
 * Stores the figures that changed; returns their listings. Rows that exist (nearly all of them) are
 * updated in place: an update joined on the key costs a third of an insert that checks each row for a
 * conflict. Listings without a row yet are inserted; one inserted by another writer since this
 * statement's snapshot is updated by the conflict clause, as before.
 */
const STORE_AVAILABILITY = `
  with figure as (select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::int[]) as f(listing_id, merchant_id, shop_id, available)),
  updated as (
    update listing_availability a set available = f.available, version = a.version + 1, updated_at = clock_timestamp()
      from figure f where a.listing_id = f.listing_id and a.available <> f.available
    returning a.listing_id, a.available),
  inserted as (
    insert into listing_availability (listing_id, merchant_id, shop_id, available)
    select f.listing_id, f.merchant_id, f.shop_id, f.available from figure f
     where not exists (select 1 from listing_availability a where a.listing_id = f.listing_id)
    on conflict (listing_id) do update set available = excluded.available, version = listing_availability.version + 1, updated_at = clock_timestamp()
     where listing_availability.available <> excluded.available
    returning listing_id, available)
  select listing_id, available from updated union all select listing_id, available from inserted`;

/** Listings of the same buyer and offer (or of the same own SKU) have the same chain. */
const chainKey = (listing: { merchantId: string; offerId: string | null; skuId: string | null }) => (listing.offerId === null ? `sku:${listing.skuId}` : `${listing.merchantId}:${listing.offerId}`);

/** Orders ids (decimal strings of positive integers) as numbers, without making a BigInt of each. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Each (seller, buyer) pair once: thousands of listings of one chain share a handful of pairs. */
function distinctPairs<Pair extends { upstreamMerchantId: string; downstreamMerchantId: string }>(pairs: Pair[]): Pair[] {
  return [...new Map(pairs.map((pair) => [`${pair.upstreamMerchantId}:${pair.downstreamMerchantId}`, pair])).values()];
}
