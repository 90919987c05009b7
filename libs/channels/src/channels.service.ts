import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  AppConfig,
  assertOutgoingUrl,
  ConflictError,
  decodeIdCursor,
  DomainError,
  generateToken,
  decryptField,
  encryptField,
  isId,
  money,
  NotFoundError,
  OutboxService,
  outgoingAllowListOf,
  Page,
  PageQueryDto,
  pageWindow,
  signatureMatches,
  sqlOne,
  sqlRows,
  toPage,
  UnauthenticatedError,
  ValidationFailedError,
  whenNotFound,
} from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { OffersService } from '@gongxiao/offers';
import { Listing, Shop } from './channels.entities';
import { CreateListingDto, CreateShopDto, ListingResponseDto, ListListingsQueryDto, platformIdsOf, ShopResponseDto, UpdateListingDto, UpdateShopDto } from './channels.dto';
import { ShopRateLimiter } from './shop-rate-limiter';
import { toShopResponse } from './shop-response';
import { checkedPlatformCredentials } from './platforms/platform-shops';
import { assertNotDelisted } from './listing-delistings';
import { SystemShop, systemShops } from './system-shops';

export type { SystemShop } from './system-shops';

const SECRET_GRACE_MS = 24 * 3600_000;

export interface SellingListing {
  listingId: string;
  merchantId: string;
  shopId: string;
  offerId: string | null;
  skuId: string | null;
  status: string;
}

export interface ResolvedListing {
  listingId: string;
  shopSkuCode: string;
  offerId: string | null;
  skuId: string | null;
  retailPriceAmount: number;
  currency: string;
  status: string;
}

/** The shop a signed push authenticated as. */
export interface PushingShop {
  id: string;
  merchantId: string;
}

interface PushingShopFacts extends PushingShop {
  status: string;
  webhookSecret: string;
  previousWebhookSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

const PUSHING_SHOP_CACHE_MS = 1000;

/** A distributor's shops and the listings that map shop SKU codes to offers. */
@Injectable()
export class ChannelsService {
  private readonly pushingShops = new Map<string, { shop: PushingShopFacts; until: number }>();

  constructor(
    private readonly em: EntityManager,
    private readonly offers: OffersService,
    private readonly catalog: CatalogService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly rateLimiter: ShopRateLimiter,
  ) {}

  async createShop(actor: ActorContext, input: CreateShopDto): Promise<ShopResponseDto> {
    assertOutgoingUrl(input.callbackUrl, 'callbackUrl', outgoingAllowListOf(this.config));
    const integration = input.integration ?? 'native';
    const credentials = await checkedPlatformCredentials(integration, input.platformCredentials, this.config);
    const secret = generateToken('whsec', 24);
    const shop = this.em.create(Shop, {
      merchantId: actor.merchantId,
      platform: input.platform,
      integration,
      platformCredentials: credentials.stored,
      platformShopRef: credentials.shopRef,
      name: input.name.trim(),
      callbackUrl: input.callbackUrl ?? null,
      webhookSecret: encryptField(secret),
    });
    await this.em.flush();
    return toShopResponse(shop, secret);
  }

  async updateShop(actor: ActorContext, shopId: string, input: UpdateShopDto): Promise<ShopResponseDto> {
    assertOutgoingUrl(input.callbackUrl, 'callbackUrl', outgoingAllowListOf(this.config));
    const shop = await this.findShop(actor, shopId);
    const { platformCredentials, ...changes } = input;
    if (platformCredentials !== undefined) {
      const credentials = await checkedPlatformCredentials(shop.integration, platformCredentials, this.config);
      Object.assign(shop, { platformCredentials: credentials.stored, platformShopRef: credentials.shopRef });
    }
    Object.assign(shop, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
    await this.em.flush();
    this.pushingShops.delete(shop.id);
    return toShopResponse(shop);
  }

  /** New secret now; the previous one keeps working for 24 hours so pushes in flight still verify. */
  async rotateSecret(actor: ActorContext, shopId: string): Promise<ShopResponseDto> {
    const shop = await this.findShop(actor, shopId);
    const secret = generateToken('whsec', 24);
    Object.assign(shop, {
      // Both stay encrypted: the current one moves over as it is stored.
      previousWebhookSecret: shop.webhookSecret,
      previousSecretExpiresAt: new Date(Date.now() + SECRET_GRACE_MS),
      webhookSecret: encryptField(secret),
    });
    await this.em.flush();
    this.pushingShops.delete(shop.id);
    return toShopResponse(shop, secret);
  }

  async listShops(actor: ActorContext, query: PageQueryDto): Promise<Page<ShopResponseDto>> {
    const { limit, after } = pageWindow(query);
    const shops = await this.em.find(Shop, { merchantId: actor.merchantId, ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: limit + 1 });
    return toPage(shops, limit, (shop) => toShopResponse(shop));
  }

  async getShop(actor: ActorContext, shopId: string): Promise<ShopResponseDto> {
    return toShopResponse(await this.findShop(actor, shopId));
  }

  async findShop(actor: ActorContext, shopId: string): Promise<Shop> {
    const shop = isId(shopId) ? await this.em.findOne(Shop, { id: shopId, merchantId: actor.merchantId }) : null;
    if (!shop) throw new NotFoundError('shop', shopId);
    return shop;
  }

  /**
   * Authenticates a signed push from a shop: unknown shop 404, stale timestamp or bad signature 401.
   * Returns the shop (its merchant is the acting distributor).
   */
  async verifySignedPush(shopId: string, timestamp: string | undefined, signature: string | undefined, rawBody: Buffer | string): Promise<PushingShop> {
    // One cache key per shop however its id is written ("007" is shop 7).
    const shop = isId(shopId) ? await this.pushingShop(BigInt(shopId).toString()) : undefined;
    if (!shop) throw new DomainError('not_found', 'shop_not_found', `No shop ${shopId} exists. Check the push URL.`);
    if (!timestamp || !/^\d{9,13}$/.test(timestamp)) {
      throw new DomainError('unauthenticated', 'timestamp_missing', 'Send X-Gongxiao-Timestamp: the Unix time in seconds when you signed the request.');
    }
    const seconds = timestamp.length > 11 ? Math.floor(Number(timestamp) / 1000) : Number(timestamp);
    if (Math.abs(Date.now() / 1000 - seconds) > this.config.WEBHOOK_TOLERANCE_SECONDS) {
      throw new DomainError(
        'unauthenticated',
        'timestamp_out_of_tolerance',
        `X-Gongxiao-Timestamp is more than ${this.config.WEBHOOK_TOLERANCE_SECONDS} s from now: check the clock of the sender and sign again.`,
      );
    }
    if (!signature) throw new DomainError('unauthenticated', 'signature_missing', 'Send X-Gongxiao-Signature: v1=<hex HMAC-SHA256 of "timestamp.rawBody"> with the shop webhook secret.');
    const secrets = [shop.webhookSecret];
    if (shop.previousWebhookSecret && shop.previousSecretExpiresAt && shop.previousSecretExpiresAt > new Date()) secrets.push(shop.previousWebhookSecret);
    if (!secrets.some((secret) => signatureMatches(secret, timestamp, rawBody, signature))) {
      throw new UnauthenticatedError('X-Gongxiao-Signature does not match: sign "timestamp.rawBody" with HMAC-SHA256 and the shop webhook secret.');
    }
    if (shop.status !== 'active') throw new DomainError('forbidden', 'shop_disabled', `Shop ${shop.id} is disabled: enable it to accept orders.`);
    // Counted once authenticated (replays of a signed request count too): nobody without the
    // secret can spend a shop's allowance.
    this.rateLimiter.take(shop.id);
    return shop;
  }

  /**
   * Every pushed order looks its shop up: kept for PUSHING_SHOP_CACHE_MS, forgotten at once when
   * this process changes the shop (another api process sees a disabled shop or a new secret at
   * most that long after; a rotated secret's predecessor stays valid for a day anyway).
   */
  private async pushingShop(shopId: string): Promise<PushingShopFacts | undefined> {
    const cached = this.pushingShops.get(shopId);
    if (cached && cached.until > Date.now()) return cached.shop;
    const row = await sqlOne<{ id: string; merchant_id: string; status: string; webhook_secret: string; previous_webhook_secret: string | null; previous_secret_expires_at: Date | null }>(
      this.em,
      `select id::text, merchant_id::text, status, webhook_secret, previous_webhook_secret, previous_secret_expires_at from shop where id = ?`,
      [shopId],
    );
    if (!row) return undefined;
    const shop: PushingShopFacts = {
      id: row.id,
      merchantId: row.merchant_id,
      status: row.status,
      // Decrypted once per cache fill, not per push.
      webhookSecret: decryptField(row.webhook_secret),
      previousWebhookSecret: decryptField(row.previous_webhook_secret),
      previousSecretExpiresAt: row.previous_secret_expires_at === null ? null : new Date(row.previous_secret_expires_at),
    };
    if (this.pushingShops.size >= 10_000) this.pushingShops.clear();
    this.pushingShops.set(shopId, { shop, until: Date.now() + PUSHING_SHOP_CACHE_MS });
    return shop;
  }

  async createListing(actor: ActorContext, input: CreateListingDto): Promise<ListingResponseDto> {
    if (Boolean(input.offerId) === Boolean(input.skuId)) {
      throw new ValidationFailedError('Give either offerId (an offer available to you) or skuId (your own SKU).', [
        { field: input.offerId ? 'skuId' : 'offerId', reason: 'exactly one of offerId and skuId is required' },
      ]);
    }
    const shop = await whenNotFound(
      this.findShop(actor, input.shopId),
      () => new DomainError('not_found', 'shop_not_found', `You have no shop ${input.shopId}.`, [{ field: 'shopId', reason: 'not one of your shops' }]),
    );
    if (input.offerId) {
      const offer = await this.offers.findAvailable(actor, input.offerId, 'offerId');
      if (offer.currency !== input.retailPrice.currency) throw ValidationFailedError.field('retailPrice.currency', `must be ${offer.currency}, the currency of the offer`);
    } else {
      await whenNotFound(
        this.catalog.findSku(actor, input.skuId!),
        () => new DomainError('not_found', 'sku_not_found', `You have no SKU ${input.skuId}.`, [{ field: 'skuId', reason: 'not one of your SKUs' }]),
      );
    }
    if (await this.em.count(Listing, { shopId: shop.id, shopSkuCode: input.shopSkuCode })) {
      throw new DomainError('duplicate', 'listing_code_taken', `Shop ${shop.id} already has a listing for SKU code ${input.shopSkuCode}.`, [
        { field: 'shopSkuCode', reason: 'already listed in this shop' },
      ]);
    }
    const listing = await this.em.transactional(async (em) => {
      const created = em.create(Listing, {
        merchantId: actor.merchantId,
        shopId: shop.id,
        shopSkuCode: input.shopSkuCode,
        offerId: input.offerId ?? null,
        skuId: input.skuId ?? null,
        retailPriceAmount: input.retailPrice.amount,
        currency: input.retailPrice.currency,
        ...platformIdsOf(input),
      });
      await em.flush();
      await this.availabilityStale(em, actor, [created.id]);
      return created;
    });
    return (await this.presentListings([listing]))[0];
  }

  async updateListing(actor: ActorContext, listingId: string, input: UpdateListingDto): Promise<ListingResponseDto> {
    const listing = await this.findListing(actor, listingId);
    if (input.retailPrice) {
      if (input.retailPrice.currency !== listing.currency) throw ValidationFailedError.field('retailPrice.currency', `must stay ${listing.currency}`);
      listing.retailPriceAmount = input.retailPrice.amount;
    }
    assertNotDelisted(listing, input);
    if (input.status) listing.status = input.status;
    Object.assign(listing, platformIdsOf(input));
    await this.em.transactional(async (em) => {
      await em.flush();
      if (input.status) await this.availabilityStale(em, actor, [listing.id]);
    });
    return (await this.presentListings([listing]))[0];
  }

  async deleteListing(actor: ActorContext, listingId: string): Promise<void> {
    const listing = await this.findListing(actor, listingId);
    if (listing.status === 'active') throw new ConflictError('listing_active', 'Pause the listing before deleting it.');
    await this.em.remove(listing).flush();
  }

  async getListing(actor: ActorContext, listingId: string): Promise<ListingResponseDto> {
    return (await this.presentListings([await this.findListing(actor, listingId)]))[0];
  }

  async listListings(actor: ActorContext, query: ListListingsQueryDto): Promise<Page<ListingResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeIdCursor(query.cursor);
    const listings = await this.em.find(
      Listing,
      { merchantId: actor.merchantId, ...(query.shopId ? { shopId: query.shopId } : {}), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: limit + 1 },
    );
    const presented = await this.presentListings(listings.slice(0, limit));
    return toPage(listings, limit, (listing) => presented.find((item) => item.id === listing.id)!);
  }

  /** Listings of one shop by its SKU codes, in the caller's transaction (for routing). */
  async resolveListings(em: EntityManager, shopId: string, shopSkuCodes: string[]): Promise<Map<string, ResolvedListing>> {
    const rows = await sqlRows<Record<string, unknown>>(
      em,
      `select id, shop_sku_code, offer_id, sku_id, retail_price_amount, currency, status from listing where shop_id = ? and shop_sku_code = any(?::text[])`,
      [shopId, [...new Set(shopSkuCodes)]],
    );
    return new Map(
      rows.map((row) => [
        String(row.shop_sku_code),
        {
          listingId: String(row.id),
          shopSkuCode: String(row.shop_sku_code),
          offerId: row.offer_id === null ? null : String(row.offer_id),
          skuId: row.sku_id === null ? null : String(row.sku_id),
          retailPriceAmount: Number(row.retail_price_amount),
          currency: String(row.currency),
          status: String(row.status),
        },
      ]),
    );
  }

  /** Listings that sell any of these offers or own SKUs, or these listings (for availability). */
  async listingsSelling(em: EntityManager, where: { offerIds?: string[]; skuIds?: string[]; listingIds?: string[] }): Promise<SellingListing[]> {
    const rows = await sqlRows<Record<string, unknown>>(
      em,
      `select id, merchant_id, shop_id, offer_id, sku_id, status from listing
        where offer_id = any(?::bigint[]) or sku_id = any(?::bigint[]) or id = any(?::bigint[])`,
      [where.offerIds ?? [], where.skuIds ?? [], where.listingIds ?? []],
    );
    return rows.map((row) => ({
      listingId: String(row.id),
      merchantId: String(row.merchant_id),
      shopId: String(row.shop_id),
      offerId: row.offer_id === null ? null : String(row.offer_id),
      skuId: row.sku_id === null ? null : String(row.sku_id),
      status: String(row.status),
    }));
  }

  /** Shop SKU codes of listings by id (for the stock events sent to shops). */
  async shopSkuCodes(em: EntityManager, listingIds: string[]): Promise<Map<string, string>> {
    const rows = await sqlRows<{ id: string; shop_sku_code: string }>(em, `select id::text, shop_sku_code from listing where id = any(?::bigint[])`, [listingIds]);
    return new Map(rows.map((row) => [row.id, row.shop_sku_code]));
  }

  /** Which of these shops have someone to tell: a callback URL, or their platform (platform shops). */
  async shopsWithCallbacks(em: EntityManager, shopIds: string[]): Promise<{ id: string; merchantId: string }[]> {
    const rows = await sqlRows<{ id: string; merchant_id: string }>(
      em,
      `select id::text, merchant_id::text from shop where id = any(?::bigint[]) and (callback_url is not null or integration <> 'native') and status = 'active'`,
      [shopIds],
    );
    return rows.map((row) => ({ id: row.id, merchantId: row.merchant_id }));
  }

  /** Shop facts for the worker (callback URL and the decrypted signing secret), without an actor; shops that do not exist are absent. */
  shopsForSystem(shopIds: string[]): Promise<Map<string, SystemShop>> {
    return systemShops(this.em, shopIds);
  }

  /** The listing's sellable quantity must be computed (again), in the caller's transaction. */
  private async availabilityStale(em: EntityManager, actor: ActorContext, listingIds: string[]): Promise<void> {
    await this.outbox.append(em, [{ type: 'availability.stale', merchantId: actor.merchantId, aggregateId: `listing:${listingIds[0]}`, payload: { listingIds } }]);
  }

  private async findListing(actor: ActorContext, listingId: string): Promise<Listing> {
    const listing = isId(listingId) ? await this.em.findOne(Listing, { id: listingId, merchantId: actor.merchantId }) : null;
    if (!listing) throw new NotFoundError('listing', listingId);
    return listing;
  }

  private async presentListings(listings: Listing[]): Promise<ListingResponseDto[]> {
    const prices = await this.offers.pricesOf(listings.map((listing) => listing.offerId).filter((id): id is string => id !== null));
    return listings.map((listing) => {
      const price = listing.offerId ? prices.get(listing.offerId) : undefined;
      return {
        id: listing.id,
        shopId: listing.shopId,
        shopSkuCode: listing.shopSkuCode,
        offerId: listing.offerId,
        skuId: listing.skuId,
        retailPrice: money(listing.retailPriceAmount, listing.currency),
        supplyPrice: price ? money(price.amount, price.currency) : null,
        platformProductId: listing.platformProductId,
        platformVariantId: listing.platformVariantId,
        platformInventoryItemId: listing.platformInventoryItemId,
        status: listing.status,
        delistingId: listing.delistingId,
        createdAt: listing.createdAt.toISOString(),
      };
    });
  }
}
